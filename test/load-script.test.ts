import { describe, expect, it } from "vitest";
import { runScript } from "./helpers/run-script.ts";

/** `npm run load -- --duration S`: a run bounded by time that reports memory as it goes. */

describe("npm run load --duration", () => {
  it("runs for the given seconds, prints a memory line on stderr every --every seconds and the report on stdout", async () => {
    const { stdout, stderr } = await runScript("scripts/load.ts", ["--duration", "3", "--every", "1", "-c", "2"], {
      nodeFlags: ["--expose-gc"],
      timeout: 60_000,
    });
    const samples = stderr.trim().split("\n");
    expect(samples.length).toBeGreaterThanOrEqual(1);
    for (const line of samples) expect(line).toMatch(/^memory at \d+ s: rss \d+\.\d MiB, heap \d+\.\d MiB, \d+ requests$/);
    const counts = samples.map((line) => Number(/(\d+) requests$/.exec(line)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    const done = Number(/^load: (\d+) requests in 3 s, concurrency 2,/.exec(stdout)?.[1]);
    expect(done).toBeGreaterThan(0);
    // Stops at the deadline, not before: requests start until 3 s have passed.
    expect(Number(/ over (\d+\.\d) s;/.exec(stdout)?.[1])).toBeGreaterThanOrEqual(3);
    expect(stdout).toMatch(/\nmemory \(after forced GC\): rss [\d.]+ -> [\d.]+ MiB/);
    // The two-callers phase (see the README, Rate limits) follows the mix and ends the report.
    expect(stdout).toMatch(/\nerrors: 0\n[\s\S]*\nrate limit errors: 0\n$/);
  });
});

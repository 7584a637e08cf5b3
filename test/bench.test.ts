import { describe, expect, it } from "vitest";
import { runScript } from "./helpers/run-script.ts";

/**
 * npm run bench, in a run too short to measure anything: both subjects answer every request, and the report holds
 * each figure the README reads from it. No figure is judged: timing belongs in the bench's own output.
 */
describe("npm run bench", () => {
  it("drives the floor and the service and reports each figure, with no errors", async () => {
    const { stdout } = await runScript(
      "scripts/bench.ts",
      ["--runs", "1", "--seconds", "1", "--warmup", "40", "--connections", "4", "--actions", "revoke,issue", "--starts", "0", "--json"],
      { timeout: 90_000 },
    );
    const report = JSON.parse(stdout);
    expect(Object.keys(report.actions)).toEqual(["revoke", "issue"]);
    for (const [name, action] of Object.entries<any>(report.actions)) {
      for (const subject of ["floor", "service"]) {
        const figures = action[subject];
        expect(figures.errors, `${name} ${subject}`).toBe(0);
        expect(figures.rounds[0].requests, `${name} ${subject}`).toBeGreaterThan(0);
        for (const figure of ["rps", "p50Ms", "p99Ms", "cpuUs", "emulatorCpuUs", "busyCores", "emulatorBusyCores"])
          expect(figures[figure].median, `${name} ${subject} ${figure}`).toBeGreaterThan(0);
      }
      for (const figure of ["throughputRatio", "cpuRatio"]) expect(action[figure].median, `${name} ${figure}`).toBeGreaterThan(0);
      // Differences may have either sign; they must be numbers.
      for (const figure of ["addedP50Ms", "addedP99Ms", "addedCpuUs"]) expect(Number.isFinite(action[figure].median), `${name} ${figure}`).toBe(true);
    }
    for (const subject of ["floor", "service"]) {
      expect(report.rssBytes.atStart[subject]).toBeGreaterThan(0);
      expect(report.rssBytes.afterRuns[subject]).toBeGreaterThan(0);
    }
    expect(report.startup).toBeNull();
    expect(report.workerBundle.gzipBytes).toBeGreaterThan(0);
  }, 120_000);
});

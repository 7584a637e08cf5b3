import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildNode } from "../scripts/build-node.ts";
import { bundleIsStale } from "../scripts/node-bundle.js";
import { startEmulator } from "../src/emulator/index.ts";
import { startNodeService } from "./helpers/node-service.ts";

/** `npm start` runs the bundle in dist/node and rebuilds it first when it is missing or older than its sources. */

const root = mkdtempSync(join(tmpdir(), "node-start-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with one source and, unless `built` is undefined, a bundle made at `built` (seconds). */
function project(name: string, sourceTime: number, built?: number, watched = ["src/a.ts"]) {
  const dir = join(root, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "a.ts"), "export {};\n");
  utimesSync(join(dir, "src", "a.ts"), sourceTime, sourceTime);
  if (built !== undefined) {
    mkdirSync(join(dir, "dist", "node"), { recursive: true });
    writeFileSync(join(dir, "dist", "node", "node.js"), "");
    writeFileSync(join(dir, "dist", "node", "inputs.json"), JSON.stringify({ watched }));
    utimesSync(join(dir, "dist", "node", "node.js"), built, built);
  }
  return dir;
}

describe("the bundle's freshness check", () => {
  it("builds on a fresh clone: no bundle yet", () => {
    expect(bundleIsStale(project("fresh", 1_000))).toBe(true);
  });

  it("uses a bundle made after its sources", () => {
    expect(bundleIsStale(project("built", 1_000, 2_000))).toBe(false);
  });

  it("rebuilds when a source changed after the build", () => {
    expect(bundleIsStale(project("edited", 3_000, 2_000))).toBe(true);
  });

  it("rebuilds when a file it was built from is gone", () => {
    expect(bundleIsStale(project("removed", 1_000, 2_000, ["src/a.ts", "src/gone.ts"]))).toBe(true);
  });

  it("rebuilds when the list of sources cannot be read", () => {
    const dir = project("unreadable", 1_000, 2_000);
    writeFileSync(join(dir, "dist", "node", "inputs.json"), "{");
    expect(bundleIsStale(dir)).toBe(true);
  });
});

/** This process's child processes named esbuild, from /proc. */
function esbuildChildren(): string[] {
  return readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return stat.includes("(esbuild)") && Number(fields[1]) === process.pid;
    } catch {
      return false;
    }
  });
}

describe("the build npm start runs when the bundle is stale", () => {
  it("leaves no esbuild process behind: the process that built goes on to serve", async () => {
    const before = esbuildChildren();
    await buildNode(join(root, "built-here"));
    // Told to stop, the service exits a moment later; one left running would stay for good.
    for (let waited = 0; esbuildChildren().length > before.length && waited < 3_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(esbuildChildren()).toEqual(before);
  });
});

describe("npm start", () => {
  it("serves from a bundle that is fresh afterwards", async () => {
    const emulator = await startEmulator();
    const run = startNodeService({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "start-key" });
    try {
      const base = await run.listening;
      const res = await fetch(`${base}/v1/users`, {
        method: "POST",
        headers: { "X-API-Key": "start-key", "Content-Type": "application/json" },
        body: '{"scopes":["voip"]}',
      });
      expect(res.status).toBe(201);
      expect(bundleIsStale()).toBe(false);
      expect(run.output().stderr).not.toContain("running from source");
    } finally {
      run.child.kill("SIGTERM");
      await emulator.close();
    }
  });
});

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);

/**
 * npm run bench:layers, in a run too short to measure anything: every layer's server starts, answers every request of
 * the actions given with success (errors 0), and the table names each layer. No figure is asserted: timing belongs in
 * the bench's own output, not in a test.
 */
describe("npm run bench:layers", () => {
  it("starts the floor, Hono, routes and service subjects and each answers every request", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--experimental-strip-types",
        "--disable-warning=ExperimentalWarning",
        "scripts/bench-layers.ts",
        ...["--runs", "1", "--seconds", "1", "--warmup", "40", "--connections", "4", "--actions", "issue,revoke,create+token"],
      ],
      { cwd: ROOT, timeout: 90_000 },
    );
    for (const action of ["issue", "revoke", "create+token"]) {
      const section = stdout.split(`${action}: CPU us per request`)[1]?.split("service minus floor")[0] ?? "";
      for (const layer of ["floor", "hono", "routes", "service"])
        expect(section, `${action} ${layer}`).toMatch(new RegExp(`\\n  ${layer} +\\d+ .*round \\d+\\.\\d .*s  errors 0\\n`));
    }
    expect(stdout.match(/service minus floor: [+-]?\d+/g)).toHaveLength(3);
  }, 120_000);
});

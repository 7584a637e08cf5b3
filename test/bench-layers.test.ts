import { describe, expect, it } from "vitest";
import { runScript } from "./helpers/run-script.ts";

/**
 * npm run bench:layers, in a run too short to measure anything: every layer's server starts, answers every request of
 * the actions given with success (errors 0), and the table names each layer. No figure is asserted: timing belongs in
 * the bench's own output, not in a test.
 */
describe("npm run bench:layers", () => {
  it("starts the floor, Hono, routes and service subjects and each answers every request", async () => {
    const { stdout } = await runScript(
      "scripts/bench-layers.ts",
      ["--runs", "1", "--seconds", "1", "--warmup", "40", "--connections", "4", "--actions", "issue,revoke,create+token"],
      { timeout: 90_000 },
    );
    for (const action of ["issue", "revoke", "create+token"]) {
      const section = stdout.split(`${action}: CPU us per request`)[1]?.split("service minus floor")[0] ?? "";
      for (const layer of ["floor", "hono", "routes", "service"])
        expect(section, `${action} ${layer}`).toMatch(new RegExp(`\\n  ${layer} +\\d+ .*round \\d+\\.\\d .*s  errors 0\\n`));
    }
    expect(stdout.match(/service minus floor: [+-]?\d+/g)).toHaveLength(3);
  }, 120_000);
});

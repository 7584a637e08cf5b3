import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/** The minimum Node: package.json's engines, the README's Quick start and `npm start`'s own check say the same. */

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const scratch = mkdtempSync(join(tmpdir(), "node-version-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The check as `npm start` runs it, in a copy of the project whose package.json asks for `engines`. */
function checkWith(engines: string) {
  const dir = mkdtempSync(join(scratch, "project-"));
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(ROOT, "scripts/node-version.cjs"), join(dir, "scripts/node-version.cjs"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ engines: { node: engines } }));
  return run(process.execPath, [join(dir, "scripts/node-version.cjs")]);
}

describe("the minimum Node version", () => {
  it("is 22.19 (@apidevtools/json-schema-ref-parser, through swagger-parser, needs it), and the README names it", () => {
    expect(pkg.engines.node).toBe(">=22.19");
    const parser = JSON.parse(readFileSync(join(ROOT, "node_modules/@apidevtools/json-schema-ref-parser/package.json"), "utf8"));
    expect(parser.engines.node).toBe(">=22.19.0");
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("With Node.js 22.19 or later");
  });

  it("runs before npm start, which on an older Node would fail on a flag it does not know", () => {
    expect(pkg.scripts.prestart).toBe("node scripts/node-version.cjs");
  });

  it("passes silently on this Node", async () => {
    const { stdout, stderr } = await checkWith(pkg.engines.node);
    expect(stdout + stderr).toBe("");
  });

  it("refuses an older Node with one line naming the minimum, this version and where to get Node", async () => {
    const error = await checkWith(">=99.1").then(
      () => expect.fail("the check passed on a Node below 99.1"),
      (error) => error,
    );
    expect(error.code).toBe(1);
    expect(error.stdout).toBe("");
    expect(error.stderr).toMatch(
      new RegExp(`^acs-identity-connector needs Node.js 99.1 or later, and this is Node.js ${process.versions.node}: [^\n]*https://nodejs.org[^\n]*\n$`),
    );
  });

  it("counts minor versions: the same major with a higher minor is refused", async () => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    await expect(checkWith(`>=${major}.${minor! + 1}`)).rejects.toMatchObject({ code: 1 });
    await expect(checkWith(`>=${major}.${minor}`)).resolves.toMatchObject({ stderr: "" });
  });
});

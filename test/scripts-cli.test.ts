import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/** The npm scripts' command lines (scripts/cli.ts): --help and bad flags only; no load run, bench or server. */

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "scripts-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function script(file: string, ...args: string[]) {
  return run(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", `scripts/${file}`, ...args], {
    cwd: ROOT,
    timeout: 20_000,
  });
}

/** Runs a script that must refuse its arguments; resolves with its exit code and output. */
async function refused(file: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const error = await script(file, ...args).then(
    () => expect.fail(`${file} ${args.join(" ")} succeeded`),
    (error) => error,
  );
  return { code: error.code, stdout: error.stdout, stderr: error.stderr };
}

const SCRIPTS = [
  {
    file: "load.ts",
    npm: "load",
    flags: ["--requests N", "--concurrency C", "(default: 2000)", "--duration S", "--every S", "(default: 5)", "--rate-limit L"],
  },
  {
    file: "bench.ts",
    npm: "bench",
    flags: ["--runs N", "--seconds S", "--connections C", "--warmup W", "--actions a,b", "--starts K", "--json", "--out FILE", "(default: 5000)"],
  },
  { file: "bench-startup.ts", npm: "bench:startup", flags: ["--starts K", "--json", "(default: 10)"] },
  { file: "bench-layers.ts", npm: "bench:layers", flags: ["--runs N", "--seconds S", "--connections C", "--warmup W", "--actions a,b", "(default: 8)"] },
  { file: "bench-memory.ts", npm: "bench:memory", flags: ["--requests N", "--rounds R", "--connections C", "(default: 100000)"] },
  { file: "connector.ts", npm: "connector", flags: ["--host HOST", "--base-path PATH", "--client-id ID", "--out DIR", "(default: connector)"] },
  { file: "docs-assets.ts", npm: "docs:assets", flags: ["[FOLDER]"] },
  { file: "dev-worker.ts", npm: "dev:worker", flags: ["[wrangler dev arguments]"] },
];

describe.each(SCRIPTS)("npm run $npm", ({ file, npm, flags }) => {
  it.each(["--help", "-h"])("answers %s with its usage, flags, defaults and an example, and exits 0", async (help) => {
    const { stdout, stderr } = await script(file, help);
    expect(stdout).toMatch(new RegExp(`^Usage: npm run ${npm} -- `));
    for (const flag of [...flags, "-h, --help"]) expect(stdout).toContain(flag);
    expect(stdout).toMatch(new RegExp(`\nExample:\n  npm run ${npm} -- \\S`));
    expect(stderr).toBe("");
  });
});

describe("a bad flag or value: one line on stderr pointing at --help, exit 1", () => {
  const oneLine = (npm: string, message: string | RegExp) =>
    new RegExp(`^${npm}: ${typeof message === "string" ? message : message.source}[^\n]* \\(see npm run ${npm} -- --help\\)\n$`);

  it.each([
    ["connector.ts", "connector", ["--hots", "x.com"], "Unknown option '--hots'"],
    ["connector.ts", "connector", ["--host"], "Option '--host <value>' argument missing"],
    ["load.ts", "load", ["--help-me"], "Unknown option '--help-me'"],
    ["load.ts", "load", ["-n", "0"], '--requests must be a whole number of at least 1, not "0"'],
    ["load.ts", "load", ["-c", "2.5"], '--concurrency must be a whole number of at least 1, not "2.5"'],
    ["load.ts", "load", ["--rate-limit=ten"], '--rate-limit must be a whole number of at least 0, not "ten"'],
    ["load.ts", "load", ["500"], "Unexpected argument '500'"],
    ["bench.ts", "bench", ["--runs", "ten"], '--runs must be a whole number of at least 1, not "ten"'],
    ["bench.ts", "bench", ["--starts", "-1"], '--starts must be a whole number of at least 0, not "-1"'],
    ["load.ts", "load", ["--duration", "0"], '--duration must be a whole number of at least 1, not "0"'],
    ["load.ts", "load", ["-d", "3601"], "--duration must be at most 3600 seconds, not 3601"],
    ["load.ts", "load", ["--every", "0.5"], '--every must be a whole number of at least 1, not "0.5"'],
    ["bench.ts", "bench", ["--runs", "-5"], '--runs must be a whole number of at least 1, not "-5"'],
    ["bench.ts", "bench", ["--connections", "-3"], '--connections must be a whole number of at least 1, not "-3"'],
    ["load.ts", "load", ["-n", "-5"], '--requests must be a whole number of at least 1, not "-5"'],
    ["bench.ts", "bench", ["--json", "-5"], "Unknown option '-5'"],
    ["bench.ts", "bench", ["--connections=0"], '--connections must be a whole number of at least 1, not "0"'],
    ["bench.ts", "bench", ["--warmup", "1e3"], '--warmup must be a whole number of at least 1, not "1e3"'],
    ["bench.ts", "bench", ["--warmup", "10"], "--warmup must be at least --connections \\(16\\), not 10"],
    ["bench.ts", "bench", ["--seconds", "0"], '--seconds must be a whole number of at least 1, not "0"'],
    ["bench.ts", "bench", ["--actions", "create,upload"], 'unknown action "upload"; known: create, create\\+token, issue'],
    ["bench.ts", "bench", ["--json=yes"], "Option '--json' does not take an argument"],
    ["bench-layers.ts", "bench:layers", ["--actions", "issue,teleport"], 'unknown action "teleport"'],
    ["bench-layers.ts", "bench:layers", ["--warmup", "4"], "--warmup must be at least --connections \\(8\\), not 4"],
    ["docs-assets.ts", "docs:assets", ["--out", "x"], "Unknown option '--out'"],
    ["docs-assets.ts", "docs:assets", ["a", "b"], "one folder at most, not 2"],
  ])("%s %j", async (file, npm, args, message) => {
    const { code, stdout, stderr } = await refused(file, ...(file === "connector.ts" ? ["--out", join(scratch, "out")] : []), ...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(oneLine(npm, new RegExp(message)));
    expect(stdout).toBe("");
  });

  it("a value the connector generator refuses gets the same one line, and nothing is written", async () => {
    const { code, stderr } = await refused("connector.ts", "--host", "https://x.com", "--out", join(scratch, "refused"));
    expect(code).toBe(1);
    expect(stderr).toMatch(oneLine("connector", /Not a valid host name/));
    expect(existsSync(join(scratch, "refused"))).toBe(false);
  });
});

describe("the scripts that take no flags: --help, and one line for anything else", () => {
  const node = (file: string, ...args: string[]) =>
    run(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", file, ...args], { cwd: ROOT, timeout: 20_000 });

  it.each([
    ["src/node.ts", /^Usage: npm start\n[\s\S]*environment variables configure it[\s\S]*\nExamples:\n {2}npm start\n/],
    [
      "src/emulator/main.ts",
      /^Usage: npm run emulator\n[\s\S]*one line on stdout[\s\S]*EMULATOR_PORT[\s\S]*\nExample:\n {2}EMULATOR_PORT=4000 npm run -s emulator\n$/,
    ],
    ["scripts/worker-size.ts", /^Usage: npm run size:worker -- \[flags\]\n[\s\S]*-h, --help[\s\S]*\nExample:\n {2}npm run size:worker\n$/],
    ["scripts/build-node.ts", /^Usage: npm run build -- \[flags\]\n[\s\S]*dist\/node\/[\s\S]*-h, --help[\s\S]*\nExample:\n {2}npm run build\n$/],
    ["scripts/docs-screenshots.ts", /^Usage: npm run docs:screenshots -- \[flags\]\n[\s\S]*docs\/\*\.png[\s\S]*\nExample:\n {2}npm run docs:screenshots\n$/],
  ])("%s --help prints its usage and starts nothing", async (file, usage) => {
    for (const help of ["--help", "-h"]) {
      const { stdout, stderr } = await node(file, help);
      expect(stdout).toMatch(usage);
      expect(stderr).toBe("");
    }
  });

  it.each([
    ["src/node.ts", ["--port", "9000"], "start: takes no arguments; environment variables configure it, e.g. PORT=8081 npm start (see npm start -- --help)\n"],
    [
      "src/node.ts",
      ["endpoint=https://x/;accesskey=c2VjcmV0"],
      "start: takes no arguments; environment variables configure it, e.g. PORT=8081 npm start (see npm start -- --help)\n",
    ],
    [
      "src/emulator/main.ts",
      ["4000"],
      "emulator: takes no arguments; EMULATOR_PORT, EMULATOR_ACCESS_KEY and EMULATOR_TLS configure it (see npm run emulator -- --help).\n",
    ],
    ["scripts/worker-size.ts", ["--gzip"], "size:worker: Unknown option '--gzip' (see npm run size:worker -- --help)\n"],
  ])("%s %j: exit 1 with one line (npm start never repeats what it was given)", async (file, args, line) => {
    const error = await node(file, ...args).then(
      () => expect.fail(`${file} ${args.join(" ")} succeeded`),
      (error) => error,
    );
    expect(error.code).toBe(1);
    expect(error.stdout).toBe("");
    expect(error.stderr).toBe(line);
  });
});

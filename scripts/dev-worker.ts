// `npm run dev:worker`: the Worker in workerd on this machine (wrangler dev), against the ACS emulator.
// Workers have no embedded emulator, so it runs here, in Node. The Worker's secrets (the emulator's connection string
// and the API keys) reach wrangler through a `.dev.vars` file beside wrangler.toml, readable by this user only and
// removed on exit: never on wrangler's command line, which any user of the machine can read (`ps`).
// Extra arguments go to wrangler dev, e.g. `npm run dev:worker -- --port 9000`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../src/emulator/index.ts";
import { printUsage } from "./cli.ts";
import { WRANGLER_CLI, wranglerEnv } from "./wrangler.ts";

// Every other argument is wrangler's to judge, so only --help is answered here.
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  printUsage({
    script: "dev:worker",
    summary:
      "Runs the Worker locally in workerd (wrangler dev) against an ACS emulator started here. API_KEYS from the\nenvironment, else a generated key (printed once). Other arguments go to wrangler dev (npx wrangler dev --help).",
    options: {},
    positionals: "[wrangler dev arguments]",
    example: "--port 9000",
  });
}

/** Where wrangler looks for local secrets: beside wrangler.toml. */
const DEV_VARS = fileURLToPath(new URL("../.dev.vars", import.meta.url));
if (existsSync(DEV_VARS)) {
  // It may hold someone's real secrets (the README suggests one for a real resource): never overwrite or delete it.
  process.stderr.write(`dev:worker: ${DEV_VARS} already exists; move it away first (this script writes its own and removes it on exit).\n`);
  process.exit(1);
}

const emulator = await startEmulator();
let apiKeys = process.env.API_KEYS?.trim();
if (!apiKeys) {
  apiKeys = randomBytes(24).toString("base64url");
  process.stderr.write(`No API_KEYS set: generated this API key for this run (shown once). Send it as X-API-Key:\n\n    ${apiKeys}\n\n`);
}
process.stderr.write(`ACS emulator on ${emulator.endpoint}: tokens it issues are NOT valid for Azure Communication Services.\n`);

/** `.dev.vars` is dotenv: a single-quoted value is taken literally, so only a quote or a line break could break it. */
function devVar(name: string, value: string): string {
  if (/['\r\n]/.test(value)) {
    process.stderr.write(`dev:worker: ${name} may not hold a quote or a line break.\n`);
    process.exit(1);
  }
  return `${name}='${value}'\n`;
}

const removeDevVars = () => rmSync(DEV_VARS, { force: true });
process.on("exit", removeDevVars);
// `wx`: created here, never an existing file or a link to one; 600 before any secret is in it.
writeFileSync(DEV_VARS, devVar("COMMUNICATION_SERVICES_CONNECTION_STRING", emulator.connectionString) + devVar("API_KEYS", apiKeys), {
  mode: 0o600,
  flag: "wx",
});

const wrangler = spawn(process.execPath, [WRANGLER_CLI, "dev", ...args], { stdio: "inherit", env: wranglerEnv() });

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    removeDevVars();
    wrangler.kill(signal);
  });
}
wrangler.on("exit", (code, signal) => {
  removeDevVars();
  void emulator.close().then(() => process.exit(code ?? (signal ? 1 : 0)));
});

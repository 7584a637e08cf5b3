// `npm run dev:worker`: the Worker in workerd on this machine (wrangler dev), against the ACS emulator.
// Workers have no embedded emulator, so it runs here, in Node, and the Worker gets its connection string as a var.
// Extra arguments go to wrangler dev, e.g. `npm run dev:worker -- --port 9000`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
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

const emulator = await startEmulator();
let apiKeys = process.env.API_KEYS?.trim();
if (!apiKeys) {
  apiKeys = randomBytes(24).toString("base64url");
  process.stderr.write(`No API_KEYS set: generated this API key for this run (shown once). Send it as X-API-Key:\n\n    ${apiKeys}\n\n`);
}
process.stderr.write(`ACS emulator on ${emulator.endpoint}: tokens it issues are NOT valid for Azure Communication Services.\n`);

const wrangler = spawn(
  process.execPath,
  [
    WRANGLER_CLI,
    "dev",
    "--var",
    `COMMUNICATION_SERVICES_CONNECTION_STRING:${emulator.connectionString}`,
    "--var",
    `API_KEYS:${apiKeys}`,
    ...args,
  ],
  { stdio: "inherit", env: wranglerEnv() },
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => wrangler.kill(signal));
}
wrangler.on("exit", (code, signal) => {
  void emulator.close().then(() => process.exit(code ?? (signal ? 1 : 0)));
});

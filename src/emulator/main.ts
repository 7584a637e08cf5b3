// `npm run emulator`: the emulator alone. EMULATOR_PORT and EMULATOR_ACCESS_KEY fix port and key; EMULATOR_TLS=1
// serves https with a certificate made at start and written to EMULATOR_CERT_FILE (default: in the temp folder),
// for clients that refuse http:// (the Java SDK does, whatever its options).
// Prints exactly one line on stdout, the connection string to use; everything else goes to stderr.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isBase64Key } from "./hmac.ts";
import { startEmulator } from "./index.ts";

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(1);
}

const USAGE = `Usage: npm run emulator

Runs the ACS Identity emulator alone, on loopback, until Ctrl+C. Prints one line on stdout, the connection string to
give the service; everything else goes to stderr. With npm run -s, npm's own lines stay out of stdout too.

Environment:
  EMULATOR_PORT        the port (default: a free one)
  EMULATOR_ACCESS_KEY  the access key, base64 (default: a random one)
  EMULATOR_TLS=1       serve https with a self-signed certificate (for the Java SDK, which refuses http)
  EMULATOR_CERT_FILE   with EMULATOR_TLS=1, where to write that certificate for the client to trust

Example:
  EMULATOR_PORT=4000 npm run -s emulator
`;
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 0) fail("takes no arguments; EMULATOR_PORT, EMULATOR_ACCESS_KEY and EMULATOR_TLS configure it (see npm run emulator -- --help).");

const portText = process.env.EMULATOR_PORT?.trim() || "0";
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) fail(`EMULATOR_PORT must be a port number (0-65535), got "${portText}".`);

const accessKey = process.env.EMULATOR_ACCESS_KEY?.trim() || undefined;
if (accessKey !== undefined && !isBase64Key(accessKey)) fail("EMULATOR_ACCESS_KEY must be valid base64 (e.g. `openssl rand -base64 32`).");

const tlsText = process.env.EMULATOR_TLS?.trim().toLowerCase() || "0";
if (!["0", "1", "true", "false"].includes(tlsText)) fail(`EMULATOR_TLS must be 1 or 0, got "${tlsText}".`);
const tls = tlsText === "1" || tlsText === "true";

let emulator;
try {
  emulator = await startEmulator({ port, accessKey, tls });
} catch (error) {
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
}

if (emulator.certificate) {
  const certFile = process.env.EMULATOR_CERT_FILE?.trim() || join(tmpdir(), `acs-identity-emulator-${emulator.port}.pem`);
  try {
    writeFileSync(certFile, emulator.certificate);
  } catch (error) {
    await emulator.close();
    fail(`could not write the certificate to ${certFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.stderr.write(`Certificate to trust (PEM): ${certFile}\n`);
}
process.stdout.write(`COMMUNICATION_SERVICES_CONNECTION_STRING=${emulator.connectionString}\n`);
process.stderr.write(`ACS Identity emulator listening on ${emulator.endpoint} (resource ${emulator.resourceId}). Ctrl+C stops it.\n`);

const running = emulator;
let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`emulator: ${signal}, stopping\n`);
  running.close().then(
    () => process.exit(0),
    (error: unknown) => fail(`error while stopping: ${String(error)}`),
  );
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

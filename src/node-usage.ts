/** `npm start -- --help`, and one line for any other argument: the Node entry takes none, the environment configures it. */

const USAGE = `Usage: npm start

Runs acs-identity-connector on Node. It takes no flags: environment variables configure it, as the README's
Configuration section lists. With no ACS configuration it runs on the embedded ACS emulator (loopback only); with no
API_KEYS (and no Entra ID) it generates an API key for the run and prints it once. One JSON log line per request goes
to stdout (npm -s start keeps npm's own lines out of it), everything else to stderr.

Examples:
  npm start
  PORT=8081 API_KEYS="$(openssl rand -base64 32)" npm start
  COMMUNICATION_SERVICES_CONNECTION_STRING='endpoint=https://<resource>.communication.azure.com/;accesskey=<key>' API_KEYS=<key> npm start
`;

export function answerArguments(args: readonly string[]): void {
  if (args.length === 0) return;
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  // The argument is not repeated: it may be a secret given in the wrong place.
  process.stderr.write("start: takes no arguments; environment variables configure it, e.g. PORT=8081 npm start (see npm start -- --help)\n");
  process.exit(1);
}

/**
 * `npm run bench:startup`: start-up alone, as `npm run bench` measures it at its end: from spawning the process to
 * the first token it issues, the floor (scripts/bench/floor-server.js) and the service (as `npm start` runs it)
 * alternating on one emulator.
 */
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { NODE_TS, startChild, stopAll } from "./bench/children.ts";
import { measureStartup } from "./bench/startup.ts";
import { formatSpread } from "./bench/stats.ts";
import { parseCli } from "./cli.ts";

const cli = parseCli({
  script: "bench:startup",
  summary:
    "Start-up from spawn to the first issued token, the floor and the service (as npm start runs it) alternating;\nprints medians with the lowest and highest start.",
  options: {
    starts: { type: "string", default: "10", value: "K", description: "start-ups to time per subject" },
    json: { type: "boolean", default: false, description: "print the results as JSON on stdout" },
  },
  example: "--starts 20",
});
const starts = cli.wholeNumber("starts");

try {
  const emulator = await startChild([...NODE_TS, "src/emulator/main.ts"], { EMULATOR_PORT: "0" }, /COMMUNICATION_SERVICES_CONNECTION_STRING=(\S+)/);
  const connectionString = emulator.match[1]!;
  const user = await new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true }).createUser();
  const figures = await measureStartup(connectionString, user.communicationUserId, starts);
  if (cli.values.json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } else {
    const f = formatSpread;
    process.stdout.write(
      `start-up, spawn to first issued token (${starts} each, median (lowest..highest)): floor ${f(figures.floorMs, 0)} ms, ` +
        `service ${f(figures.serviceMs, 0)} ms, service/floor ${f(figures.ratio, 2)}\n`,
    );
  }
} finally {
  await stopAll();
}

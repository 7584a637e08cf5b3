/**
 * `npm run bench:memory`: the service's memory over a long run, read from /proc as an operator's tools see it. One
 * emulator, the service started as `npm start` starts it, then rounds of every action (autocannon, as `npm run bench`
 * drives them); after each round, resident memory and how much of it is anonymous memory (V8's heap, malloc) or
 * mapped files (node's binary and libraries). README: Performance, memory.
 */
import { readFileSync } from "node:fs";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { NODE_TS, startChild, stopAll } from "./bench/children.ts";
import { startCommandArgs } from "./bench/startup.ts";
import { ACTIONS, loadAction, type Users } from "./bench/workload.ts";
import { parseCli } from "./cli.ts";

const cli = parseCli({
  script: "bench:memory",
  summary:
    "The service's resident memory over a long run: rounds of every action but Delete through the service to the\nemulator, and after each round its resident, anonymous and file-backed memory from /proc.",
  options: {
    requests: { type: "string", default: "100000", value: "N", description: "requests in all" },
    rounds: { type: "string", default: "10", value: "R", description: "rounds (one memory line each)" },
    connections: { type: "string", default: "16", value: "C", description: "concurrent connections" },
  },
  example: "--requests 20000 --rounds 4",
});
const total = cli.wholeNumber("requests");
const rounds = cli.wholeNumber("rounds");
const connections = cli.wholeNumber("connections");
const API_KEY = "memory-key";
const MIX = ACTIONS.filter((a) => a.name !== "delete");

/** Resident memory and its split, in MiB, from /proc/<pid>/smaps_rollup. */
function memory(pid: number) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? NaN);
  const mib = (value: number) => Math.round(value / 1024);
  return { rss: mib(kb("Rss")), anonymous: mib(kb("Anonymous")), files: mib(kb("Rss") - kb("Anonymous")) };
}

try {
  const emulator = await startChild([...NODE_TS, "src/emulator/main.ts"], { EMULATOR_PORT: "0" }, /COMMUNICATION_SERVICES_CONNECTION_STRING=(\S+)/);
  const connectionString = emulator.match[1]!;
  const service = await startChild(
    startCommandArgs(),
    { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: API_KEY, PORT: "0", HOST: "127.0.0.1" },
    /listening on http:\/\/localhost:(\d+)/,
  );
  const pid = service.child.pid!;
  const sdk = new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true });
  const users: Users = { pool: await Promise.all(Array.from({ length: 100 }, async () => (await sdk.createUser()).communicationUserId)), toDelete: [] };
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const line = (label: string) => {
    const m = memory(pid);
    print(
      `${label.padEnd(18)} rss ${String(m.rss).padStart(4)} MiB  anonymous ${String(m.anonymous).padStart(4)} MiB  files ${String(m.files).padStart(3)} MiB`,
    );
  };
  line("after start");
  const perRound = Math.ceil(total / rounds);
  let done = 0;
  for (let round = 1; round <= rounds; round++) {
    const perAction = Math.ceil(perRound / MIX.length);
    await Promise.all(
      MIX.map((action) =>
        loadAction(`http://127.0.0.1:${service.match[1]}`, action, users, {
          apiKey: API_KEY,
          connections: Math.max(1, Math.round(connections / MIX.length)),
          amount: perAction,
        }),
      ),
    );
    done += perAction * MIX.length;
    line(`${done} requests`);
  }
} finally {
  await stopAll();
}

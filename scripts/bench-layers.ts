/**
 * `npm run bench:layers`: where the service's own cost lies (README: Performance). Four servers answer the same
 * requests on one emulator, each adding one layer to the last:
 * - floor: node:http and one shared SDK client (scripts/bench/floor-server.js);
 * - hono: the same on Hono and @hono/node-server (scripts/bench/hono-server.js): the framework;
 * - routes: the service's route definitions and handlers with its ACS client and JSON body middleware
 *   (scripts/bench/routes-server.ts): validation, the handlers, and the client as the service builds it (no SDK
 *   retry policy, the deadline policy, the request id sent to ACS and ACS's read back), with a request id made per
 *   request because the handlers send it;
 * - service: `npm start`: all the rest: the request context and its log line written to stdout, authentication, the
 *   response headers, the 405 check, the guards for unread bodies, the server's limits, and the bundled build.
 * In each round all four answer at once, each under its own load of `--connections` and for about `--seconds`, and each
 * process's CPU per answered request is read from /proc around its part of the round; a layer's cost is its subject's
 * CPU minus the one before, round by round. Side by side rather than in turns: this machine's speed drifts by a third
 * from one minute to the next, and subjects measured in the same seconds drift together (README: Performance).
 */
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { NODE_TS, startChild, stopAll } from "./bench/children.ts";
import { createUsers, drive, type Round } from "./bench/rounds.ts";
import { startCommandArgs } from "./bench/startup.ts";
import { formatSpread, spread } from "./bench/stats.ts";
import { readRounds, roundOptions } from "./bench/round-options.ts";
import type { Users } from "./bench/workload.ts";
import { parseCli } from "./cli.ts";

const cli = parseCli({
  script: "bench:layers",
  summary:
    "Where the service's own cost lies: the floor, the same server on Hono, the service's routes alone, and the whole\n" +
    "service, answering side by side on one emulator; prints each one's CPU per request and what each layer adds (medians\n" +
    "over the rounds, lowest..highest round). Progress goes to stderr.",
  options: {
    ...roundOptions({
      runs: "8",
      runsAre: "rounds per action",
      connections: "8",
      connectionsAre: "concurrent connections to each subject",
      actions: "issue,create",
    }),
  },
  example: "--actions revoke --runs 12 --seconds 4",
});
const { runs, seconds, connections, warmup, actions } = readRounds(cli);
const say = (text: string) => process.stderr.write(`${text}\n`);
const API_KEY = "bench-key";
const LISTENING = /listening on http:\/\/(?:127\.0\.0\.1|localhost):(\d+)/;

async function main() {
  const emulator = await startChild([...NODE_TS, "src/emulator/main.ts"], { EMULATOR_PORT: "0" }, /COMMUNICATION_SERVICES_CONNECTION_STRING=(\S+)/);
  const connectionString = emulator.match[1]!;
  const env = { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: API_KEY, PORT: "0", HOST: "127.0.0.1" };
  const commands = {
    floor: [...NODE_TS, "scripts/bench/floor-server.js"],
    hono: [...NODE_TS, "scripts/bench/hono-server.js"],
    routes: [...NODE_TS, "scripts/bench/routes-server.ts"],
    service: startCommandArgs(),
  };
  const subjects: { name: string; base: string; pid: number }[] = [];
  for (const [name, args] of Object.entries(commands)) {
    const { child, match } = await startChild(args, env, LISTENING);
    subjects.push({ name, base: `http://127.0.0.1:${match[1]}`, pid: child.pid! });
  }
  const sdk = new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true });
  const pool = await createUsers(sdk, 100);
  const load = { apiKey: API_KEY, connections };
  say(`bench:layers: ${actions.map((a) => a.name).join(", ")}; ${runs} rounds of ${seconds} s, every subject at once, ${connections} connections each`);

  const print = (text: string) => process.stdout.write(`${text}\n`);
  for (const action of actions) {
    const users = async (count: number): Promise<Users> => ({ pool, toDelete: action.name === "delete" ? await createUsers(sdk, count) : [] });
    // Every subject at once, each with users of its own (Delete needs fresh ones), made before the round starts. Each
    // is given what it answered in `seconds` last time, so that all four end together: a subject still running after
    // the others would have the machine to itself.
    const together = async (counts: number[]) => {
      const given = await Promise.all(counts.map((count) => users(count)));
      return Promise.all(subjects.map((s, i) => drive(s.base, action, given[i]!, counts[i]!, { subject: s.pid, emulator: emulator.child.pid! }, load)));
    };
    let last = await together(subjects.map(() => warmup));
    const rounds: Record<string, Round[]> = Object.fromEntries(subjects.map((s) => [s.name, []]));
    for (let run = 0; run < runs; run++) {
      last = await together(last.map((round) => Math.max(connections, Math.round(round.rps * seconds))));
      subjects.forEach((s, i) => {
        rounds[s.name]!.push(last[i]!);
      });
    }
    print(`${action.name}: CPU us per request of each subject, and what its layer adds to the one before`);
    subjects.forEach((s, i) => {
      const own = spread(rounds[s.name]!.map((r) => r.cpuUs));
      const errors = rounds[s.name]!.reduce((sum, r) => sum + r.errors, 0);
      const before = i > 0 ? rounds[subjects[i - 1]!.name]! : undefined;
      const added = before ? formatSpread(spread(rounds[s.name]!.map((r, k) => r.cpuUs - before[k]!.cpuUs)), 0, true) : "";
      const length = spread(rounds[s.name]!.map((r) => r.requests / r.rps));
      print(`  ${s.name.padEnd(8)} ${formatSpread(own, 0).padEnd(16)} ${added.padEnd(18)} round ${formatSpread(length, 1)} s  errors ${errors}`);
    });
    const total = spread(rounds.service!.map((r, k) => r.cpuUs - rounds.floor![k]!.cpuUs));
    print(`  service minus floor: ${formatSpread(total, 0, true)}`);
  }
}

try {
  await main();
} finally {
  await stopAll();
}

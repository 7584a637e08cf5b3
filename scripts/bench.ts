/**
 * `npm run bench`: the service's own cost, measured against the floor on one emulator (README: Performance).
 *
 * Two subjects answer the same requests: the floor (scripts/bench/floor-server.js: node:http and one shared SDK
 * client, nothing else) and the service, started as `npm start` starts it. For each action they take turns in rounds
 * of equal length, the order reversed every run (floor, service, service, floor, ...) so that a machine getting
 * busier or quieter weighs on both alike. Every response time is kept (exact percentiles, no histogram buckets), and
 * each process's CPU time is read from /proc around each round, so the CPU per request is each process's own
 * whatever else runs. Figures are medians over the runs with the lowest and highest run; ratios and differences are
 * taken run by run (the service's round against the floor's of the same run). Then start-up (spawn to the first
 * issued token, floor and service alternating) and the Worker bundle's size.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { NODE_TS, startChild, stopAll } from "./bench/children.ts";
import { rssBytes } from "./bench/proc.ts";
import { createUsers, drive as driveRound, type Round } from "./bench/rounds.ts";
import { measureStartup, startCommandArgs, type StartupFigures } from "./bench/startup.ts";
import { formatSpread, spread } from "./bench/stats.ts";
import { readRounds, roundOptions } from "./bench/round-options.ts";
import { ACTION_NAMES, type Action, type Users } from "./bench/workload.ts";
import { parseCli } from "./cli.ts";
import { bundleWorker } from "./worker-size.ts";

const cli = parseCli({
  script: "bench",
  summary:
    "The service's own cost beside the floor (a bare node:http server with one shared SDK client) on one emulator:\n" +
    "alternating rounds per action, repeated; prints medians over the runs with their spread (lowest..highest run)\n" +
    "of requests/s, p50/p99 latency, each process's CPU per request and the cores it kept busy, and the floor/service\n" +
    "CPU ratio, then start-up and the Worker bundle's size.\n" +
    "Progress goes to stderr; --json prints only the JSON on stdout (use npm run -s bench -- --json, or --out FILE).",
  options: {
    ...roundOptions({
      runs: "3",
      runsAre: "runs: rounds per subject and action",
      connections: "16",
      connectionsAre: "concurrent connections",
      actions: ACTION_NAMES.join(","),
    }),
    starts: { type: "string", default: "5", value: "K", description: "start-ups to time per subject (0: none)" },
    json: { type: "boolean", default: false, description: "print the results as JSON on stdout" },
    out: { type: "string", value: "FILE", description: "also write the results as JSON to FILE" },
  },
  example: "--actions issue --runs 5 --seconds 4",
});
const args = cli.values;
const { runs, seconds, connections, warmup, actions } = readRounds(cli);
const starts = cli.wholeNumber("starts", 0);
const say = (text: string) => process.stderr.write(`${text}\n`);
const API_KEY = "bench-key";
const SUBJECTS = ["floor", "service"] as const;
type Subject = (typeof SUBJECTS)[number];

const drive = (base: string, action: Action, users: Users, count: number, pids: { subject: number; emulator: number }) =>
  driveRound(base, action, users, count, pids, { apiKey: API_KEY, connections });

async function main() {
  const loadAtStart = loadavg()[0]!;
  const emulator = await startChild([...NODE_TS, "src/emulator/main.ts"], { EMULATOR_PORT: "0" }, /COMMUNICATION_SERVICES_CONNECTION_STRING=(\S+)/);
  const connectionString = emulator.match[1]!;
  const sdk = new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true });
  const env = { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: API_KEY, PORT: "0", HOST: "127.0.0.1" };
  const floor = await startChild([...NODE_TS, "scripts/bench/floor-server.js"], env, /listening on (http:\/\/\S+)/);
  const service = await startChild(startCommandArgs(), env, /listening on http:\/\/localhost:(\d+)/);
  const subjects: Record<Subject, { base: string; pid: number }> = {
    floor: { base: floor.match[1]!, pid: floor.child.pid! },
    service: { base: `http://127.0.0.1:${service.match[1]}`, pid: service.child.pid! },
  };
  const pids = (subject: Subject) => ({ subject: subjects[subject].pid, emulator: emulator.child.pid! });
  const rssAtStart = { floor: rssBytes(subjects.floor.pid), service: rssBytes(subjects.service.pid) };

  const pool = await createUsers(sdk, 100);
  say(
    `bench: ${actions.map((a) => a.name).join(", ")}; ${runs} runs of ${seconds} s rounds per subject, ${connections} connections, ${warmup} warm-up requests`,
  );

  const results: Record<string, Record<Subject, Round[]>> = {};
  for (const action of actions) {
    const users = async (count: number): Promise<Users> => ({ pool, toDelete: action.name === "delete" ? await createUsers(sdk, count) : [] });
    // A round is a number of requests (Delete needs that many fresh users), sized from the subject's last rate.
    const rate: Record<Subject, number> = { floor: 0, service: 0 };
    for (const subject of SUBJECTS) rate[subject] = (await drive(subjects[subject].base, action, await users(warmup), warmup, pids(subject))).rps;
    const rounds: Record<Subject, Round[]> = { floor: [], service: [] };
    for (let run = 0; run < runs; run++) {
      for (const subject of run % 2 ? [...SUBJECTS].reverse() : SUBJECTS) {
        const count = Math.max(100, Math.round(rate[subject] * seconds));
        const round = await drive(subjects[subject].base, action, await users(count), count, pids(subject));
        rate[subject] = round.rps;
        rounds[subject].push(round);
      }
    }
    results[action.name] = rounds;
    say(
      `  ${action.name}: floor ${rounds.floor.map((r) => r.rps.toFixed(0)).join(", ")} req/s; service ${rounds.service.map((r) => r.rps.toFixed(0)).join(", ")} req/s`,
    );
  }
  const rssAfter = { floor: rssBytes(subjects.floor.pid), service: rssBytes(subjects.service.pid) };

  let startup: StartupFigures | undefined;
  if (starts > 0) {
    say(`bench: timing ${starts} start-ups of each`);
    startup = await measureStartup(connectionString, pool[0]!, starts);
  }
  say("bench: bundling the Worker");
  const bundle = await bundleWorker();

  const over = (rounds: Round[], pick: (r: Round) => number) => spread(rounds.map(pick));
  const subjectFigures = (rounds: Round[]) => ({
    rps: over(rounds, (r) => r.rps),
    p50Ms: over(rounds, (r) => r.p50Ms),
    p99Ms: over(rounds, (r) => r.p99Ms),
    cpuUs: over(rounds, (r) => r.cpuUs),
    emulatorCpuUs: over(rounds, (r) => r.emulatorCpuUs),
    // How many cores each process kept busy: near 1 for a subject means its one event loop set the pace.
    busyCores: over(rounds, (r) => (r.rps * r.cpuUs) / 1e6),
    emulatorBusyCores: over(rounds, (r) => (r.rps * r.emulatorCpuUs) / 1e6),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    rounds,
  });
  const paired = (r: Record<Subject, Round[]>, f: (floor: Round, service: Round) => number) =>
    spread(r.floor.map((floorRound, i) => f(floorRound, r.service[i]!)));
  const report = {
    machine: { cpus: cpus().length, node: process.version, loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0]! } },
    settings: { runs, seconds, connections, warmup },
    actions: Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          floor: subjectFigures(r.floor),
          service: subjectFigures(r.service),
          throughputRatio: paired(r, (f, s) => s.rps / f.rps),
          addedP50Ms: paired(r, (f, s) => s.p50Ms - f.p50Ms),
          addedP99Ms: paired(r, (f, s) => s.p99Ms - f.p99Ms),
          addedCpuUs: paired(r, (f, s) => s.cpuUs - f.cpuUs),
          // The throughput ratio to expect when each subject's own event loop is what limits it.
          cpuRatio: paired(r, (f, s) => f.cpuUs / s.cpuUs),
        },
      ]),
    ),
    rssBytes: { atStart: rssAtStart, afterRuns: rssAfter },
    startup: startup ?? null,
    workerBundle: { rawBytes: bundle.raw, gzipBytes: bundle.gzip },
  };

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (args.out) writeFileSync(args.out, json);
  if (args.json) return void process.stdout.write(json);

  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd();
    return [line(header), ...rows.map(line)].join("\n");
  };
  const entries = Object.entries(report.actions);
  const f = formatSpread;
  const print = (text: string) => process.stdout.write(`${text}\n`);
  print(
    `${runs} runs of ${seconds} s rounds, ${connections} connections; ${report.machine.cpus} CPUs, load average ${loadAtStart.toFixed(1)} at start, ` +
      `${report.machine.loadAverage.atEnd.toFixed(1)} at end; ${process.version}. Medians (lowest..highest run).\n`,
  );
  print(
    table(
      ["action", "subject", "req/s", "p50 ms", "p99 ms", "CPU us/req", "emulator CPU us/req", "busy cores subject/emulator", "errors"],
      entries.flatMap(([name, a]) =>
        SUBJECTS.map((subject) => {
          const s = a[subject];
          const busy = `${s.busyCores.median.toFixed(2)} / ${s.emulatorBusyCores.median.toFixed(2)}`;
          return [name, subject, f(s.rps, 0), f(s.p50Ms, 2), f(s.p99Ms, 2), f(s.cpuUs, 0), f(s.emulatorCpuUs, 0), busy, String(s.errors)];
        }),
      ),
    ),
  );
  print("");
  print(
    table(
      ["action", "throughput service/floor", "CPU floor/service", "added p50 ms", "added p99 ms", "added CPU us/req"],
      entries.map(([name, a]) => [
        name,
        f(a.throughputRatio, 2),
        f(a.cpuRatio, 2),
        f(a.addedP50Ms, 2, true),
        f(a.addedP99Ms, 2, true),
        f(a.addedCpuUs, 0, true),
      ]),
    ),
  );
  print("");
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  print(
    `resident memory: floor ${mib(rssAtStart.floor)} at start, ${mib(rssAfter.floor)} after the runs; service ${mib(rssAtStart.service)}, ${mib(rssAfter.service)}`,
  );
  if (startup) {
    print(
      `start-up, spawn to first issued token (${starts} each): floor ${f(startup.floorMs, 0)} ms, service ${f(startup.serviceMs, 0)} ms, service/floor ${f(startup.ratio, 2)}`,
    );
  }
  print(`Worker bundle: ${(bundle.gzip / 1024).toFixed(1)} KiB gzip (${(bundle.raw / 1024).toFixed(1)} KiB raw)`);
}

try {
  await main();
} finally {
  await stopAll();
}

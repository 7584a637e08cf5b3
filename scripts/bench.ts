/**
 * `npm run bench`: the service's own cost, side by side with the floor, in one run (issue 6).
 *
 * Three subjects on one emulator, each action at the same concurrency and request count:
 *   (a) sdk     the SDK calling the emulator directly: ACS's own cost here
 *   (b) floor   a minimal node:http forwarder with one shared SDK client (scripts/bench/floor-server.ts)
 *   (c) service this service, started as `npm start` starts it
 * Prints requests per second, p50/p99/p99.9 latency, errors and resident memory for each, the ratios (c)/(b) for
 * throughput and (c)-(a) for added latency, the start-up time and the Worker bundle's size. `--json` prints the
 * same as JSON.
 * Flags: `npm run bench -- --help`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import autocannon from "autocannon";
import { ACTIONS, type Action, summarize, type Summary, type Users } from "./bench/workload.ts";
import { parseCli } from "./cli.ts";
import { bundleWorker } from "./worker-size.ts";

const KNOWN = ACTIONS.map((a) => a.name);
const cli = parseCli({
  script: "bench",
  summary: "The service's own cost beside the floor: the ACS SDK straight to the emulator, a minimal node:http forwarder,\nand this service, each action at the same concurrency; prints requests/s, p50/p99/p99.9 latency, errors and memory.",
  options: {
    amount: { type: "string", default: "2000", value: "N", description: "requests per action and subject" },
    connections: { type: "string", default: "10", value: "C", description: "concurrent connections" },
    warmup: { type: "string", default: "300", value: "W", description: "warm-up requests per action and subject" },
    actions: { type: "string", default: KNOWN.join(","), value: "a,b", description: "the actions to run" },
    json: { type: "boolean", default: false, description: "print the results as JSON" },
  },
  example: "--amount 500 --actions create,issue",
});
const args = cli.values;
const amount = cli.wholeNumber("amount");
const connections = cli.wholeNumber("connections");
const warmup = cli.wholeNumber("warmup", 0);
const actions = args.actions.split(",").map((name) => ACTIONS.find((a) => a.name === name) ?? cli.fail(`unknown action "${name}"; known: ${KNOWN.join(", ")}`));
const say = (text: string) => process.stderr.write(`${text}\n`);
const NODE_TS = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"];
const API_KEY = "bench-key";
const children: ChildProcess[] = [];

/** Starts a child and resolves with the first match of `pattern` in its output. */
function startChild(script: string, env: Record<string, string>, pattern: RegExp, extraArgs: string[] = []): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [...NODE_TS, ...extraArgs, script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = "";
    const look = (chunk: Buffer) => {
      seen += chunk;
      const match = pattern.exec(seen);
      if (match) {
        child.stdout!.off("data", look);
        child.stderr!.off("data", look);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, match });
      }
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}): ${seen}`)));
  });
}

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

async function createUsers(client: CommunicationIdentityClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => client.createUser()));
    ids.push(...batch.map((u) => u.communicationUserId));
  }
  return ids;
}

/** Drives one HTTP subject with autocannon, keeping every response time (autocannon's histogram rounds to 1 ms). */
async function drive(base: string, action: Action, users: Users, count: number, offset: number): Promise<Summary> {
  let i = offset;
  const latencies: number[] = [];
  const headers: Record<string, string> = { "x-api-key": API_KEY, ...(action.body && { "content-type": "application/json" }) };
  const instance = autocannon({
    url: base,
    connections,
    amount: count,
    requests: [{ method: action.method, path: action.path(0, users), headers, ...(action.body && { body: action.body }), setupRequest: (req: any) => ({ ...req, path: action.path(i++, users) }) }],
  });
  // autocannon's own duration is whole seconds and ends on its next tick: time to the last response instead.
  const started = performance.now();
  let lastResponse = started;
  (instance as unknown as NodeJS.EventEmitter).on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    lastResponse = performance.now();
    if (status < 300) latencies.push(ms);
  });
  const result = await instance;
  return summarize(latencies, result.non2xx + result.errors + result.timeouts, (lastResponse - started) / 1000);
}

async function driveSdk(connectionString: string, action: Action, usersFile: string, count: number): Promise<Summary & { rssBytes: number }> {
  const child = spawn(process.execPath, [...NODE_TS, "scripts/bench/sdk-driver.ts", action.name, String(count), String(connections), usersFile, String(warmup)], {
    env: { ...process.env, COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  await new Promise((resolve) => child.once("exit", resolve));
  return JSON.parse(out);
}

/** Time from spawning `node src/node.ts` to its first successful action: the cold start a scaled-out instance pays. */
async function startupMs(connectionString: string): Promise<number> {
  const started = performance.now();
  const { child, match } = await startChild("src/node.ts", { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: API_KEY, PORT: "0" }, /listening on http:\/\/localhost:(\d+)/);
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${match[1]}/v1/users`, { method: "POST", headers: { "x-api-key": API_KEY } }).catch(() => undefined);
    if (res?.status === 201) break;
  }
  const ms = performance.now() - started;
  child.kill("SIGTERM");
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const emulator = await startChild("src/emulator/main.ts", { EMULATOR_PORT: "0" }, /COMMUNICATION_SERVICES_CONNECTION_STRING=(\S+)/);
  const connectionString = emulator.match[1]!;
  const sdk = new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true });
  const floor = await startChild("scripts/bench/floor-server.ts", { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString }, /listening on (http:\/\/\S+)/);
  const service = await startChild("src/node.ts", { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: API_KEY, PORT: "0" }, /listening on http:\/\/localhost:(\d+)/);
  const subjects = { floor: { base: floor.match[1]!, pid: floor.child.pid! }, service: { base: `http://127.0.0.1:${service.match[1]}`, pid: service.child.pid! } };
  const rssAtStart = { floor: rssBytes(subjects.floor.pid), service: rssBytes(subjects.service.pid) };

  const pool = await createUsers(sdk, 100);
  const dir = mkdtempSync(join(tmpdir(), "acs-bench-"));
  say(`bench: ${actions.length} actions x 3 subjects, ${amount} requests each after ${warmup} warm-up, ${connections} connections`);

  type Measured = Summary & { rssBytes: number };
  const results: Record<string, { sdk: Measured; floor: Measured; service: Measured }> = {};
  for (const action of actions) {
    const perSubject: Partial<Record<"sdk" | "floor" | "service", Measured>> = {};
    const freshUsers = async (): Promise<Users> => ({ pool, toDelete: action.name === "delete" ? await createUsers(sdk, warmup + amount) : [] });

    const sdkUsers = await freshUsers();
    const usersFile = join(dir, `${action.name}.json`);
    writeFileSync(usersFile, JSON.stringify(sdkUsers));
    perSubject.sdk = await driveSdk(connectionString, action, usersFile, amount);

    for (const name of ["floor", "service"] as const) {
      const users = await freshUsers();
      if (warmup > 0) await drive(subjects[name].base, action, users, warmup, 0);
      perSubject[name] = { ...(await drive(subjects[name].base, action, users, amount, warmup)), rssBytes: rssBytes(subjects[name].pid) };
    }
    results[action.name] = perSubject as { sdk: Measured; floor: Measured; service: Measured };
    say(`  ${action.name}: done`);
  }

  const startup = [];
  for (let i = 0; i < 3; i++) startup.push(await startupMs(connectionString));

  const report = {
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    settings: { amount, connections, warmup },
    rssAtStartBytes: rssAtStart,
    actions: Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          ...r,
          throughputRatio: r.service.rps / r.floor.rps,
          addedP50Ms: r.service.p50 - r.sdk.p50,
          addedP99Ms: r.service.p99 - r.sdk.p99,
        },
      ]),
    ),
    startupMs: { median: median(startup), runs: startup },
    workerBundle: await bundleWorker().then(({ raw, gzip }) => ({ rawBytes: raw, gzipBytes: gzip })),
  };

  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    const ms = (value: number) => value.toFixed(2);
    const rows = Object.entries(report.actions).flatMap(([name, r]) =>
      (["sdk", "floor", "service"] as const).map((subject) => ({
        action: name,
        subject: { sdk: "(a) sdk", floor: "(b) floor", service: "(c) service" }[subject],
        "req/s": Math.round(r[subject].rps),
        "p50 ms": ms(r[subject].p50),
        "p99 ms": ms(r[subject].p99),
        "p99.9 ms": ms(r[subject].p999),
        errors: r[subject].errors,
        rss: mb(r[subject].rssBytes),
      })),
    );
    console.table(rows);
    console.table(
      Object.entries(report.actions).map(([name, r]) => ({
        action: name,
        "throughput (c)/(b)": `${(r.throughputRatio * 100).toFixed(1)} %`,
        "added p50 (c)-(a) ms": ms(r.addedP50Ms),
        "added p99 (c)-(a) ms": ms(r.addedP99Ms),
      })),
    );
    console.log(`resident memory at start: floor ${mb(rssAtStart.floor)}, service ${mb(rssAtStart.service)}`);
    console.log(`start-up to first successful action: median ${report.startupMs.median.toFixed(0)} ms (${startup.map((s) => s.toFixed(0)).join(", ")})`);
    console.log(`Worker bundle: ${(report.workerBundle.gzipBytes / 1024).toFixed(1)} KiB gzip (${(report.workerBundle.rawBytes / 1024).toFixed(1)} KiB raw)`);
  }
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
}

// `npm run load`: a bounded load run through the service to the emulator, in this process (not a test).
// N requests (or S seconds of them) at concurrency C mixing every action; prints errors (must be 0), p50/p99 latency
// per action and overall, throughput, and resident memory before and after (after a forced GC when run with
// --expose-gc), and on stderr a memory line every few seconds, so that a long run shows whether memory levels off.
//
// A small bounded loop rather than autocannon: the mix is stateful (issue, revoke and delete need a user id that
// an earlier create returned) and the figures are per action, which a flat list of canned requests cannot give.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createIdentityClient } from "../src/acs/client.ts";
import { createApp } from "../src/app.ts";
import { startEmulator } from "../src/emulator/index.ts";
import { parseCli } from "./cli.ts";
import { twoCallers } from "./load/two-callers.ts";
import { percentile } from "./bench/stats.ts";
import { teamsBody } from "./bench/workload.ts";

/** A long run is still a bounded one. */
const MAX_SECONDS = 3600;

const cli = parseCli({
  script: "load",
  summary:
    "A bounded load run through the service to the embedded ACS emulator, mixing every action; prints errors,\np50/p99 latency per action and throughput, resident memory before and after, and a memory line on stderr\nevery --every seconds (a long run, --duration, shows whether memory levels off).",
  options: {
    requests: { type: "string", short: "n", default: "2000", value: "N", description: "requests in all" },
    concurrency: { type: "string", short: "c", default: "20", value: "C", description: "requests in flight at once" },
    "rate-limit": {
      type: "string",
      default: "100",
      value: "L",
      description: "then two callers under RATE_LIMIT_PER_MINUTE=L, one within it and one past it (0: skip)",
    },
    duration: { type: "string", short: "d", value: "S", description: `run for S seconds (at most ${MAX_SECONDS}) instead of N requests` },
    every: { type: "string", default: "5", value: "S", description: "seconds between memory lines" },
  },
  example: "--duration 120 -c 20",
});
const concurrency = cli.wholeNumber("concurrency");
const rateLimit = cli.wholeNumber("rate-limit", 0);
const seconds = cli.values.duration === undefined ? undefined : cli.wholeNumber("duration");
if (seconds !== undefined && seconds > MAX_SECONDS) cli.fail(`--duration must be at most ${MAX_SECONDS} seconds, not ${seconds}`);
const total = seconds === undefined ? cli.wholeNumber("requests") : Number.POSITIVE_INFINITY;
const every = cli.wholeNumber("every");

const API_KEY = "load-test-key";
const emulator = await startEmulator();
const identity = createIdentityClient({ kind: "access-key", endpoint: emulator.endpoint, accessKey: emulator.accessKey }, { timeoutMs: 15_000 });
let logLines = 0;
const { app } = createApp({ services: { identity }, apiKeys: [API_KEY], log: () => void logLines++ });
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
if (!server.listening) await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

type Action = "create" | "create+token" | "issue" | "revoke" | "delete" | "teams";
const EXPECTED: Record<Action, number> = { create: 201, "create+token": 201, issue: 200, revoke: 204, delete: 204, teams: 200 };
// One round of the mix; issue, revoke and delete fall back to create when the worker holds no user.
const MIX: Action[] = ["create", "create+token", "issue", "issue", "revoke", "teams", "delete"];

// The Teams exchange request the bench sends too: a token the emulator accepts (it judges claims only).
const TEAMS_BODY = teamsBody();

async function send(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { "X-API-Key": API_KEY, ...(body !== undefined && { "Content-Type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const latencies = new Map<Action, number[]>();
const errors: string[] = [];
let started = 0;

let deadline = Number.POSITIVE_INFINITY;
const more = () => started < total && performance.now() < deadline;

async function worker(): Promise<void> {
  const users: string[] = [];
  for (let round = 0; more(); round++) {
    started++;
    let action = MIX[round % MIX.length]!;
    if ((action === "issue" || action === "revoke" || action === "delete") && users.length === 0) action = "create";
    const user = users.at(-1);
    const path = user && `/v1/users/${encodeURIComponent(user)}`;
    const t0 = performance.now();
    const res =
      action === "create"
        ? await send("POST", "/v1/users")
        : action === "create+token"
          ? await send("POST", "/v1/users", { scopes: ["chat", "voip"], expiresInMinutes: 60 })
          : action === "issue"
            ? await send("POST", `${path}/tokens`, { scopes: ["chat"] })
            : action === "revoke"
              ? await send("DELETE", `${path}/tokens`)
              : action === "delete"
                ? await send("DELETE", path!)
                : await send("POST", "/v1/teams/tokens", TEAMS_BODY);
    const ms = performance.now() - t0;
    if (res.status !== EXPECTED[action]) errors.push(`${action}: HTTP ${res.status} ${res.json?.code ?? ""}`);
    (latencies.get(action) ?? latencies.set(action, []).get(action)!).push(ms);
    if (action.startsWith("create") && res.status === 201) users.push(res.json.userId);
    if (action === "delete" && res.status === 204) users.pop();
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 2 ** 20, heap: heapUsed / 2 ** 20 };
};
const row = (name: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${name.padEnd(14)} ${String(samples.length).padStart(6)} ${percentile(sorted, 0.5).toFixed(1).padStart(8)} ${percentile(sorted, 0.99).toFixed(1).padStart(8)}`;
};

const mib = (value: number) => value.toFixed(1);
const before = memory();
const t0 = performance.now();
if (seconds !== undefined) deadline = t0 + seconds * 1000;
// stderr, so that stdout keeps the report alone.
const sampler = setInterval(() => {
  const now = memory();
  process.stderr.write(
    `memory at ${((performance.now() - t0) / 1000).toFixed(0)} s: rss ${mib(now.rss)} MiB, heap ${mib(now.heap)} MiB, ${started} requests\n`,
  );
}, every * 1000);
await Promise.all(Array.from({ length: concurrency }, () => worker()));
clearInterval(sampler);
const elapsed = (performance.now() - t0) / 1000;
const after = memory();

const all = [...latencies.values()].flat();
const lines = [
  `load: ${started} requests${seconds === undefined ? "" : ` in ${seconds} s`}, concurrency ${concurrency}, service and emulator in one process (node ${process.version})`,
  `${"action".padEnd(14)} ${"count".padStart(6)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
  ...[...latencies].map(([action, samples]) => row(action, samples)),
  row("overall", all),
  `throughput: ${(started / elapsed).toFixed(0)} requests/s over ${elapsed.toFixed(1)} s; log lines: ${logLines}`,
  `memory (${gc ? "after forced GC" : "no --expose-gc, GC not forced"}): rss ${mib(before.rss)} -> ${mib(after.rss)} MiB, heap ${mib(before.heap)} -> ${mib(after.heap)} MiB`,
  `errors: ${errors.length}`,
  ...errors.slice(0, 10).map((error) => `  ${error}`),
];
process.stdout.write(`${lines.join("\n")}\n`);

server.closeAllConnections();
server.close();
if (rateLimit > 0) {
  const limited = await twoCallers(emulator, rateLimit);
  process.stdout.write(
    `${[...limited.lines, `rate limit errors: ${limited.problems.length}`, ...limited.problems.map((problem) => `  ${problem}`)].join("\n")}\n`,
  );
  errors.push(...limited.problems);
}
await emulator.close();
process.exit(errors.length === 0 ? 0 : 1);

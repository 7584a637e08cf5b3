// The rate limit per caller under load, for `npm run load`: a steady caller makes exactly its limit of Create a
// user requests while a runaway caller, at the same time, makes twice as many. The steady one must never be refused,
// the runaway one exactly past its limit, and ACS (the emulator) must see none of the refused requests. The counts
// hold while the phase lasts under a minute (a caller's window opens at its first request), as it does by far.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createIdentityClient } from "../../src/acs/client.ts";
import { createApp } from "../../src/app.ts";
import type { RunningEmulator } from "../../src/emulator/index.ts";

const CALLERS = { steady: "steady-flow-key-0001", runaway: "runaway-loop-key-0002" } as const;
type Caller = keyof typeof CALLERS;

export async function twoCallers(emulator: RunningEmulator, perMinute: number): Promise<{ lines: string[]; problems: string[] }> {
  const identity = createIdentityClient({ kind: "access-key", endpoint: emulator.endpoint, accessKey: emulator.accessKey }, { timeoutMs: 15_000 });
  const apiKeys = Object.entries(CALLERS).map(([name, key]) => `${name}:${key}`);
  const { app } = createApp({ services: { identity }, apiKeys, rateLimit: { perMinute }, log: () => {} });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  if (!server.listening) await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/users`;
  const control = new URL("/_emulator/requests", emulator.endpoint);
  await fetch(control, { method: "DELETE" });

  const counts = { steady: new Map<string, number>(), runaway: new Map<string, number>() };
  /** `total` Create a user requests of one caller, `inFlight` at a time; tallies "201", "429 rate_limited", .... */
  async function run(caller: Caller, total: number, inFlight: number) {
    let sent = 0;
    const loop = async () => {
      while (sent < total) {
        sent++;
        const res = await fetch(url, { method: "POST", headers: { "X-API-Key": CALLERS[caller] } });
        const body = (await res.json()) as { code?: string };
        const outcome = body.code ? `${res.status} ${body.code}` : String(res.status);
        counts[caller].set(outcome, (counts[caller].get(outcome) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
  }
  await Promise.all([run("steady", perMinute, 4), run("runaway", 2 * perMinute, 16)]);
  const received = ((await (await fetch(control)).json()) as { requests: unknown[] }).requests.length;
  server.closeAllConnections();
  server.close();

  const tally = (caller: Caller) => [...counts[caller]].map(([outcome, n]) => `${n} x ${outcome}`).join(", ");
  const lines = [
    `two callers, RATE_LIMIT_PER_MINUTE=${perMinute}, each making Create a user requests at once:`,
    `  steady  (${perMinute} requests): ${tally("steady")}`,
    `  runaway (${2 * perMinute} requests): ${tally("runaway")}`,
    `  ACS received ${received} requests`,
  ];
  const problems: string[] = [];
  if (counts.steady.get("201") !== perMinute) problems.push(`steady caller: expected ${perMinute} x 201, got ${tally("steady")}`);
  if (counts.runaway.get("201") !== perMinute || counts.runaway.get("429 rate_limited") !== perMinute) {
    problems.push(`runaway caller: expected ${perMinute} x 201 and ${perMinute} x 429 rate_limited, got ${tally("runaway")}`);
  }
  if (received !== 2 * perMinute) problems.push(`ACS received ${received} requests, expected ${2 * perMinute}`);
  return { lines, problems };
}

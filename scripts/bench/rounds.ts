import type { CommunicationIdentityClient } from "@azure/communication-identity";
import { cpuMicros } from "./proc.ts";
import { percentile } from "./stats.ts";
import { type Action, loadAction, type Users } from "./workload.ts";

/** One round of one subject, as `npm run bench` and `npm run bench:layers` measure it. */
export interface Round {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the subject's process per answered request. */
  cpuUs: number;
  /**
   * The emulator's over the same time, per request of this subject: ACS's own cost when one subject runs at a time (as
   * in `npm run bench`); meaningless when several run at once (`npm run bench:layers` does not use it).
   */
  emulatorCpuUs: number;
}

export async function createUsers(client: CommunicationIdentityClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => client.createUser()));
    ids.push(...batch.map((u) => u.communicationUserId));
  }
  return ids;
}

/** `count` requests of one action at `connections`, timed from the first request to the last answer. */
export async function drive(
  base: string,
  action: Action,
  users: Users,
  count: number,
  pids: { subject: number; emulator: number },
  load: { apiKey: string; connections: number },
): Promise<Round> {
  const latencies: number[] = [];
  const cpuBefore = { subject: cpuMicros(pids.subject), emulator: cpuMicros(pids.emulator) };
  const instance = loadAction(base, action, users, { ...load, amount: count });
  const started = performance.now();
  let lastResponse = started;
  // The event's time is exact (process.hrtime); autocannon's own histogram keeps whole milliseconds.
  (instance as unknown as NodeJS.EventEmitter).on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    lastResponse = performance.now();
    if (status < 300) latencies.push(ms);
  });
  const result = await instance;
  const cpuAfter = { subject: cpuMicros(pids.subject), emulator: cpuMicros(pids.emulator) };
  latencies.sort((a, b) => a - b);
  const answered = Math.max(1, latencies.length);
  return {
    requests: latencies.length,
    errors: result.non2xx + result.errors + result.timeouts,
    rps: latencies.length / ((lastResponse - started) / 1000),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuUs: (cpuAfter.subject - cpuBefore.subject) / answered,
    emulatorCpuUs: (cpuAfter.emulator - cpuBefore.emulator) / answered,
  };
}

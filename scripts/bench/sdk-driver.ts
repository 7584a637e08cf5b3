import { readFileSync } from "node:fs";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { ACTIONS, summarize, type Users } from "./workload.ts";

/**
 * Subject (a) of `npm run bench`: the SDK calling the emulator directly, at the same concurrency, which is ACS's own
 * cost here. Run as its own process so its resident memory is its own. Prints one JSON line.
 */
const [actionName, amountArg, connectionsArg, usersFile, warmupArg] = process.argv.slice(2);
const action = ACTIONS.find((a) => a.name === actionName)!;
const amount = Number(amountArg);
const users: Users = JSON.parse(readFileSync(usersFile!, "utf8"));
const client = new CommunicationIdentityClient(process.env.COMMUNICATION_SERVICES_CONNECTION_STRING!, { allowInsecureConnection: true });

/** Runs calls [from, to) at the given concurrency and collects each call's latency. */
async function run(from: number, to: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(connectionsArg) }, async () => {
      while (next < to) {
        const i = next++;
        const t = performance.now();
        try {
          await action.sdk(client, i, users);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

const warmup = Number(warmupArg);
await run(0, warmup);
const { latencies, errors, seconds } = await run(warmup, warmup + amount);
process.stdout.write(`${JSON.stringify({ ...summarize(latencies, errors, seconds), rssBytes: process.memoryUsage().rss })}\n`);

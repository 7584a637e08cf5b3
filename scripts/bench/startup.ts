import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NODE_TS, startChild, stopChild } from "./children.ts";
import { type Spread, spread } from "./stats.ts";

/**
 * Start-up as a scaled-out instance pays it: from spawning the process to the first token it issues. The service is
 * started with the command `npm start` runs (read from package.json, so the figure follows the script), without npm's
 * own start-up in front; the floor is scripts/bench/floor-server.js. Starts alternate, floor then service.
 */

const ROOT = join(import.meta.dirname, "..", "..");

/** `npm start`'s node arguments, e.g. `["--flag", "scripts/start.ts"]`. */
export function startCommandArgs(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start;
  const [program, ...args] = script.trim().split(/\s+/);
  if (program !== "node") throw new Error(`package.json's start script does not start with node: ${script}`);
  return args;
}

export interface StartupFigures {
  floorMs: Spread;
  serviceMs: Spread;
  /** service / floor, start by start. */
  ratio: Spread;
  runs: { floorMs: number; serviceMs: number }[];
}

async function timeToFirstToken(args: string[], env: Record<string, string>, listening: RegExp, apiKey: string, userId: string): Promise<number> {
  const started = performance.now();
  const { child, match } = await startChild(args, env, listening);
  try {
    const res = await fetch(`http://127.0.0.1:${match[1]}/v1/users/${encodeURIComponent(userId)}/tokens`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ scopes: ["chat"] }),
    });
    if (res.status !== 200) throw new Error(`the first token request answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now() - started;
  } finally {
    await stopChild(child);
  }
}

export async function measureStartup(connectionString: string, userId: string, starts: number): Promise<StartupFigures> {
  const env = { COMMUNICATION_SERVICES_CONNECTION_STRING: connectionString, API_KEYS: "startup-key", PORT: "0", HOST: "127.0.0.1" };
  const service = startCommandArgs();
  const runs: StartupFigures["runs"] = [];
  for (let i = 0; i < starts; i++) {
    const floorMs = await timeToFirstToken(
      [...NODE_TS, "scripts/bench/floor-server.js"],
      env,
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      "startup-key",
      userId,
    );
    const serviceMs = await timeToFirstToken(service, env, /listening on http:\/\/localhost:(\d+)/, "startup-key", userId);
    runs.push({ floorMs, serviceMs });
  }
  return {
    floorMs: spread(runs.map((r) => r.floorMs)),
    serviceMs: spread(runs.map((r) => r.serviceMs)),
    ratio: spread(runs.map((r) => r.serviceMs / r.floorMs)),
    runs,
  };
}

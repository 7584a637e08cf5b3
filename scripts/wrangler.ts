import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The pinned wrangler's CLI (its package.json `bin`), run with this Node: no global install, no `npx` look-up. */
const manifest = createRequire(import.meta.url).resolve("wrangler/package.json");
export const WRANGLER_CLI = join(dirname(manifest), "bin", "wrangler.js");

/** The environment for a wrangler run: no usage metrics are sent from a developer's machine or from CI. */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false" };
}

import { resolve } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { unstable_readConfig } from "wrangler";

/** wrangler.toml's [alias] as Vite aliases (exact specifiers, as wrangler matches them), so the suite runs what deploys. */
const aliases = Object.entries<string>(unstable_readConfig({ config: "wrangler.toml" }).alias ?? {}).map(([find, replacement]) => ({
  find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`),
  replacement: replacement.startsWith(".") ? resolve(replacement) : replacement,
}));

/** The workerd project: the Worker built from wrangler.toml, run inside workerd, calling the Node-side emulator. */
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // The secrets `wrangler secret put` sets in production.
        bindings: { COMMUNICATION_SERVICES_CONNECTION_STRING: inject("acsConnectionString"), API_KEYS: inject("workerApiKey") },
        // Cloudflare's rate-limiting binding, under another name than the Worker's RATE_LIMITER so that only the
        // rate-limit tests, which hand it to the Worker themselves, are limited.
        ratelimits: { TEST_RATE_LIMITER: { namespace_id: "1001", simple: { limit: 2, period: 60 } } },
      },
    })),
  ],
  resolve: { alias: aliases },
  test: {
    name: "workerd",
    include: ["test/worker/**/*.test.ts"],
    globalSetup: ["test/worker/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

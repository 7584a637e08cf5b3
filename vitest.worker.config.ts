import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

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
  test: {
    name: "workerd",
    include: ["test/worker/**/*.test.ts"],
    globalSetup: ["test/worker/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

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

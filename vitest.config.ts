import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Console output (the Worker's one log line per request, for one) is shown for failing tests only.
    silent: "passed-only",
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          // test/browser needs chromium: `npm run test:browser` (vitest.browser.config.ts).
          exclude: [...configDefaults.exclude, "test/worker/**", "test/browser/**"],
          globalSetup: ["test/helpers/build-node-once.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      // The Worker's own suite runs inside workerd (Cloudflare's runtime), with its own configuration.
      "vitest.worker.config.ts",
    ],
  },
});

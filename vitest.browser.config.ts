import { defineConfig } from "vitest/config";

/** `npm run test:browser`: the suites that drive chromium, kept out of `npm test`, which runs without a browser. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

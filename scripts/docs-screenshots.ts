// `npm run docs:screenshots`: refreshes the README's screenshots (docs/*.png) by running the browser suite with
// SCREENSHOTS_DIR=docs; `npm run test:browser` takes the same screenshots into a temporary folder and leaves docs/ alone.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { requireChromium } from "../test/browser/chromium.ts";
import { parseCli } from "./cli.ts";

parseCli({
  script: "docs:screenshots",
  summary:
    "Refreshes the README's screenshots of the API reference page (docs/*.png) in headless Chromium, by running\nthe browser suite (npm run test:browser) with its screenshots written to docs/. Commit the result.",
  options: {},
  example: "",
});
requireChromium("docs:screenshots");

const root = join(import.meta.dirname, "..");
const vitest = spawnSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.browser.config.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SCREENSHOTS_DIR: join(root, "docs") },
});
process.exit(vitest.status ?? 1);

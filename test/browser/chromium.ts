import { existsSync } from "node:fs";

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. Playwright downloads no browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"];

/** One line saying how to get chromium, instead of a stack trace, when it is missing. */
export function requireChromium(script: string): void {
  if (existsSync(CHROMIUM_PATH)) return;
  process.stderr.write(
    `${script} needs chromium at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` (Debian/Ubuntu, as root) or set CHROMIUM_PATH.\n`,
  );
  process.exit(1);
}

// Run first by `npm run test:browser`.
if (process.argv[1] && import.meta.filename === process.argv[1]) requireChromium("test:browser");

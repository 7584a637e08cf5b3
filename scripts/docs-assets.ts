import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOCS_ASSET_FILES, DOCS_ASSETS_PATH } from "../src/docs-assets.ts";
import { swaggerUiDistDir } from "../src/docs-assets-node.ts";
import { parseCli } from "./cli.ts";

/*
 * `npm run docs:assets [folder]`: copies the API reference page's files into <folder>/docs/assets (default ./public),
 * the folder a Worker serves with wrangler's `[assets] directory = "./public"`, so /docs works there as on Node.
 */
const { positionals, fail } = parseCli({
  script: "docs:assets",
  summary: `Copies the API reference page's files (Swagger UI) into FOLDER${DOCS_ASSETS_PATH} (FOLDER defaults to ./public),\nthe folder wrangler serves as the Worker's static assets.`,
  options: {},
  positionals: "[FOLDER]",
  example: "public",
});
if (positionals.length > 1) fail(`one folder at most, not ${positionals.length}`);

const target = join(resolve(positionals[0] ?? "public"), DOCS_ASSETS_PATH);
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of DOCS_ASSET_FILES) {
  copyFileSync(join(swaggerUiDistDir, file), join(target, file));
  process.stdout.write(`${join(target, file)}\n`);
}

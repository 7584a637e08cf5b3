import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOCS_ASSET_FILES, DOCS_ASSETS_CACHE_CONTROL, DOCS_ASSETS_PATH, DOCS_ASSETS_ROOT } from "../src/docs-assets.ts";
import { swaggerUiDistDir } from "../src/docs-assets-node.ts";
import { parseCli } from "./cli.ts";

/*
 * `npm run docs:assets [folder]`: copies the API reference page's files into <folder>/docs/assets/<version> (default
 * ./public), the folder a Worker serves with wrangler's `[assets] directory = "./public"`, so /docs works there as on
 * Node; and writes <folder>/_headers, which gives them the same Cache-Control as on Node.
 */
const { positionals, fail } = parseCli({
  script: "docs:assets",
  summary: `Copies the API reference page's files (Swagger UI) into FOLDER${DOCS_ASSETS_PATH} (FOLDER defaults to ./public),\nthe folder wrangler serves as the Worker's static assets, and writes FOLDER/_headers for their Cache-Control.`,
  options: {},
  positionals: "[FOLDER]",
  example: "public",
});
if (positionals.length > 1) fail(`one folder at most, not ${positionals.length}`);

const folder = resolve(positionals[0] ?? "public");
// Earlier versions' folders go too.
rmSync(join(folder, DOCS_ASSETS_ROOT), { recursive: true, force: true });
const target = join(folder, DOCS_ASSETS_PATH);
mkdirSync(target, { recursive: true });
for (const file of DOCS_ASSET_FILES) {
  copyFileSync(join(swaggerUiDistDir, file), join(target, file));
  process.stdout.write(`${join(target, file)}\n`);
}
// Workers static assets' own headers file (Cloudflare docs: Workers > Static assets > Headers).
writeFileSync(join(folder, "_headers"), `${DOCS_ASSETS_ROOT}/*\n  Cache-Control: ${DOCS_ASSETS_CACHE_CONTROL}\n`);
process.stdout.write(`${join(folder, "_headers")}\n`);

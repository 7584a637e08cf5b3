import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOCS_ASSET_FILES, DOCS_ASSETS_PATH } from "../src/docs-assets.ts";
import { swaggerUiDistDir } from "../src/docs-assets-node.ts";

/*
 * `npm run docs:assets [folder]`: copies the API reference page's files into <folder>/docs/assets (default ./public),
 * the folder a Worker serves with wrangler's `[assets] directory = "./public"`, so /docs works there as on Node.
 */
const target = join(resolve(process.argv[2] ?? "public"), DOCS_ASSETS_PATH);
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of DOCS_ASSET_FILES) {
  copyFileSync(join(swaggerUiDistDir, file), join(target, file));
  process.stdout.write(`${join(target, file)}\n`);
}

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hono } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { DOCS_ASSET_FILES, docsAssetUrl } from "./docs-assets.ts";

/** The installed swagger-ui-dist folder, wherever npm put it. */
export const swaggerUiDistDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * Node only: serves the API reference page's files straight from node_modules, one route per listed file, so
 * nothing else of the package (source maps, package.json) is reachable. Workers serve the same files as static assets.
 */
export function serveDocsAssets(app: Hono<any>) {
  for (const file of DOCS_ASSET_FILES) app.get(docsAssetUrl(file), serveStatic({ path: join(swaggerUiDistDir, file) }));
}

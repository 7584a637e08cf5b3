import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Env, Hono } from "hono";
import { compress } from "hono/compress";
import { serveStatic } from "@hono/node-server/serve-static";
import { DOCS_ASSET_FILES, DOCS_ASSETS_CACHE_CONTROL, DOCS_ASSETS_PATH, docsAssetUrl } from "./docs-assets.ts";

/** The installed swagger-ui-dist folder, wherever npm put it. */
export const swaggerUiDistDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * Node only: serves the API reference page's files straight from node_modules, one route per listed file, so
 * nothing else of the package (other source maps, package.json) is reachable. Text files go gzipped to clients that
 * accept it (the bundle: 1.7 MB raw, about 0.5 MB gzipped), compressed per request rather than kept precompressed
 * because node_modules holds no .gz files and the immutable Cache-Control makes a browser fetch each URL once.
 * Workers serve the same files as static assets, which Cloudflare compresses itself.
 */
export function serveDocsAssets<E extends Env>(app: Hono<E>) {
  app.use(`${DOCS_ASSETS_PATH}/*`, compress());
  for (const file of DOCS_ASSET_FILES) {
    app.get(
      docsAssetUrl(file),
      serveStatic({ path: join(swaggerUiDistDir, file), onFound: (_path, c) => void c.header("Cache-Control", DOCS_ASSETS_CACHE_CONTROL) }),
    );
  }
}

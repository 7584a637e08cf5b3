import swaggerUiDist from "swagger-ui-dist/package.json" with { type: "json" };

/**
 * The API reference page's static files: Swagger UI's bundle, stylesheet (and the source map it names) and icon from
 * the swagger-ui-dist package. One list, read by the page (src/routes/docs.ts), the Node file handler
 * (src/docs-assets-node.ts) and the copy for Workers static assets (scripts/docs-assets.ts), so all three serve the
 * same files at the same paths.
 *
 * The files change only with the package's version, so the version is in their path: an upgrade is a new URL, and
 * each URL can be cached for good (DOCS_ASSETS_CACHE_CONTROL).
 */
export const DOCS_ASSETS_ROOT = "/docs/assets";

export const DOCS_ASSETS_PATH = `${DOCS_ASSETS_ROOT}/${swaggerUiDist.version}`;

export const DOCS_ASSET_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui.css.map", "favicon-32x32.png"] as const;

export type DocsAssetFile = (typeof DOCS_ASSET_FILES)[number];

export const docsAssetUrl = (file: DocsAssetFile) => `${DOCS_ASSETS_PATH}/${file}`;

export const DOCS_ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable";

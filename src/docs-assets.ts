/**
 * The API reference page's static files: Swagger UI's bundle, stylesheet and icon from the swagger-ui-dist package.
 * One list, read by the page (src/routes/docs.ts), the Node file handler (src/docs-assets-node.ts) and the copy
 * for Workers static assets (scripts/docs-assets.ts), so all three serve the same files at the same paths.
 */
export const DOCS_ASSETS_PATH = "/docs/assets";

export const DOCS_ASSET_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"] as const;

export type DocsAssetFile = (typeof DOCS_ASSET_FILES)[number];

export const docsAssetUrl = (file: DocsAssetFile) => `${DOCS_ASSETS_PATH}/${file}`;

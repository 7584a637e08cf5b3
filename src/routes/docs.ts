import type { MiddlewareHandler } from "hono";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { html } from "hono/html";
import type { AppEnv } from "../app-env.ts";
import { docsAssetUrl } from "../docs-assets.ts";
import { apiInfo } from "../openapi.ts";
import { answer, responseHeaders } from "../response-headers.ts";

/*
 * GET /docs: Swagger UI (swagger-ui-dist) over /openapi.json. Chosen over Scalar's standalone bundle because it is
 * a third of the size (1.9 MB, 0.49 MB gzipped, against 4.4 MB / 1.26 MB), is one package instead of 27 with
 * ~300 MB of dependencies, and has no built-in calls to its vendor's fonts, proxy or services: the only outside
 * address it knows is validator.swagger.io, switched off below. Its files are served as files (never bundled into
 * the app): on Node by src/docs-assets-node.ts, on Workers by static assets (see scripts/docs-assets.ts).
 */

/** Swagger UI's settings, sent as JSON in /docs/init.js so the page needs no inline script. */
const swaggerUiConfig = {
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  // Never send the document to validator.swagger.io.
  validatorUrl: null,
  // No ?url= or ?configUrl= from the address bar: the page shows this service's document only.
  queryConfigEnabled: false,
  // Fields are editable and "Execute" shows at once; the key stays in the page, never in storage.
  tryItOutEnabled: true,
  persistAuthorization: false,
  deepLinking: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
};

const initScript = `window.ui = SwaggerUIBundle(${JSON.stringify(swaggerUiConfig)});\n`;

const page = html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${apiInfo.title}: API reference</title>
    <link rel="icon" type="image/png" href="${docsAssetUrl("favicon-32x32.png")}" />
    <link rel="stylesheet" href="${docsAssetUrl("swagger-ui.css")}" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${docsAssetUrl("swagger-ui-bundle.js")}"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/**
 * Only this origin: a request elsewhere (a font, telemetry, a validator) is blocked even if the page tried one.
 * data: images are Swagger UI's icons, embedded in its stylesheet.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page's own policy, in place of the global one; the other security headers come from src/middleware/hardening.ts. */
const docsSecurityHeaders: MiddlewareHandler = (c, next) => {
  responseHeaders(c)["content-security-policy"] = DOCS_CSP;
  return next();
};

/** The page and its settings; no API key needed. The asset files are served by the runtime (see above). */
export function registerDocs(app: OpenAPIHono<AppEnv>) {
  app.use("/docs", docsSecurityHeaders);
  app.use("/docs/*", docsSecurityHeaders);
  const pageText = page.toString();
  app.get("/docs", (c) => answer(c, pageText, 200, "text/html; charset=UTF-8"));
  app.get("/docs/init.js", (c) => answer(c, initScript, 200, "text/javascript; charset=utf-8"));
}

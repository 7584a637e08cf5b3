import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { REQUEST_ID_HEADER } from "./request-context.ts";

/**
 * Browser access: closed unless CORS_ORIGINS lists the caller's exact origin. A listed origin may send the
 * credential and JSON headers and read the request id and Retry-After; no cookies are involved (credentials: false).
 */
export const corsPolicy = (origins: readonly string[]) =>
  cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "DELETE"],
    allowHeaders: ["X-API-Key", "Authorization", "Content-Type", REQUEST_ID_HEADER],
    exposeHeaders: [REQUEST_ID_HEADER, "Retry-After"],
    maxAge: 600,
  });

/**
 * Headers for every answer (nosniff, no referrer, no framing, HSTS, same-origin resource policy). No global CSP:
 * the API reference page at /docs brings its own; JSON answers get the strictest one below.
 */
export const securityHeaders = secureHeaders({ xFrameOptions: "DENY" });

const JSON_CONTENT = /^application\/(?:[\w.-]+\+)?json\b/i;
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

/** A JSON answer loads nothing and is never framed, whatever a browser makes of it. */
export const jsonContentSecurityPolicy: MiddlewareHandler = async (c, next) => {
  await next();
  if (JSON_CONTENT.test(c.res.headers.get("content-type") ?? "") && !c.res.headers.has("content-security-policy")) {
    c.res.headers.set("Content-Security-Policy", JSON_CSP);
  }
};

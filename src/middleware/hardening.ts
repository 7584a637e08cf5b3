import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { REQUEST_ID_HEADER } from "./request-context.ts";
import { responseHeaders } from "../response-headers.ts";

/**
 * Browser access: closed unless CORS_ORIGINS lists the caller's exact origin. A listed origin may send the
 * credential and JSON headers and read the request id, Retry-After and the RateLimit headers; no cookies are
 * involved (credentials: false).
 */
export const corsPolicy = (origins: readonly string[]) =>
  cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "DELETE"],
    allowHeaders: ["X-API-Key", "Authorization", "Content-Type", REQUEST_ID_HEADER],
    exposeHeaders: [REQUEST_ID_HEADER, "Retry-After", "RateLimit-Policy", "RateLimit"],
    maxAge: 600,
  });

/**
 * Headers for every answer, the set OWASP recommends for a JSON API: HTTPS only, no sniffing, no framing, no
 * referrer, not readable cross-origin without CORS, and the strictest CSP (nothing here is a document but /docs, which
 * sets its own policy). The actions' answers, which carry tokens, must never be stored by a cache.
 *
 * They go into the request's header record before the handler runs, so the answer is built with them.
 */
const SECURITY_HEADERS = {
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};
const ACTION_HEADERS = { ...SECURITY_HEADERS, "cache-control": "no-store" };

export const securityHeaders: MiddlewareHandler = (c, next) => {
  Object.assign(responseHeaders(c), c.req.path.startsWith("/v1/") ? ACTION_HEADERS : SECURITY_HEADERS);
  return next();
};

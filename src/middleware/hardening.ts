import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { REQUEST_ID_HEADER } from "./request-context.ts";

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
 * They are set before the handler runs, so the answer is built with them: touching an answer's headers afterwards
 * makes @hono/node-server turn its lightweight response into a full one, which costs on every request.
 */
const SECURITY_HEADERS: [string, string][] = [
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
];

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  if (c.req.path.startsWith("/v1/")) c.header("Cache-Control", "no-store");
  await next();
};

import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
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
 * Headers for every answer, the set OWASP recommends for a JSON API: HTTPS only, no sniffing, no framing, no
 * referrer, not readable cross-origin without CORS. Browser-document headers (COOP, X-XSS-Protection, ...) are left
 * out: nothing here is a document but /docs, which sets its own policy. JSON answers get the strictest CSP, and the
 * actions' answers, which carry tokens, must never be stored by a cache.
 */
const SECURITY_HEADERS: [string, string][] = [
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];
const JSON_CONTENT = /^application\/(?:[\w.-]+\+)?json\b/i;
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  for (const [name, value] of SECURITY_HEADERS) headers.set(name, value);
  if (JSON_CONTENT.test(headers.get("content-type") ?? "") && !headers.has("content-security-policy")) headers.set("Content-Security-Policy", JSON_CSP);
  if (c.req.path.startsWith("/v1/")) headers.set("Cache-Control", "no-store");
};

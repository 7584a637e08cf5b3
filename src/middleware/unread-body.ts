import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";

/**
 * A route that takes no body (GET /health, the DELETEs, an early 401 or 413) answers without reading one; if a body was
 * announced, Node would keep the connection open to read it all (`Content-Length: 1000000000` holds it for good).
 * `Connection: close` makes Node close it once the answer is sent. On Node only: its env carries the IncomingMessage,
 * which says whether the body arrived; Workers manage their own connections.
 */
export const closeOnUnreadBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const incoming = (c.env as { incoming?: { complete: boolean } } | undefined)?.incoming;
  if (!incoming || incoming.complete) return;
  const headers = c.req.raw.headers;
  const announced = headers.has("transfer-encoding") || Number(headers.get("content-length") ?? 0) > 0;
  if (announced) c.header("Connection", "close");
};

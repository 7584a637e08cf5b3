import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv, Logger } from "../app-env.ts";

export const REQUEST_ID_HEADER = "x-ms-client-request-id";
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's x-ms-client-request-id when it is well-formed, else a UUID), echoes it,
 * and writes one log line when the answer is ready. The line names the route pattern, never the path: paths and
 * bodies are left out on purpose, so no token can reach a log.
 */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const offered = c.req.header(REQUEST_ID_HEADER);
    const requestId = offered && CALLER_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", requestId);
    // Set before the answer exists, so it is built with the header (see securityHeaders for why that matters).
    c.header(REQUEST_ID_HEADER, requestId);
    await next();
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      requestId,
      method: c.req.method,
      route: c.res.status === 404 && c.get("errorCode") === "not_found" ? null : routePath(c, -1),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    const code = c.get("errorCode");
    if (code) line.code = code;
    if (c.get("aborted")) Object.assign(line, { level: "info", aborted: true });
    log(line);
  };
}

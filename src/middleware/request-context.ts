import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv, Logger } from "../app-env.ts";
import { responseHeaders } from "../response-headers.ts";

export const REQUEST_ID_HEADER = "x-ms-client-request-id";
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The audit fields of the line, when the request got that far; never a key or token. */
const AUDIT_FIELDS = ["caller", "userId", "teamsUserId", "acsRequestId"] as const;

/**
 * Gives every request an id (the caller's x-ms-client-request-id when it is well-formed, else a UUID), echoes it,
 * and writes one log line when the answer is ready, errors included: a 500's line carries the failure's name and the
 * top of its stack. The line names the route pattern, never the path: paths and
 * bodies are left out on purpose, so no token can reach a log. For an action it is also the audit record: who
 * called (`caller`), which action (`action`, its operationId, looked up in `actions` by "METHOD /route/:pattern"),
 * the ACS user it created or acted on, the outcome (`status`, `code`) and ACS's id for its answer.
 */
export function requestContext(log: Logger, actions?: ReadonlyMap<string, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const offered = c.req.header(REQUEST_ID_HEADER);
    const requestId = offered && CALLER_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", requestId);
    responseHeaders(c)[REQUEST_ID_HEADER] = requestId;
    await next();
    const route = c.res.status === 404 && c.get("errorCode") === "not_found" ? null : routePath(c, -1);
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    const code = c.get("errorCode");
    if (code) line.code = code;
    const action = route && actions?.get(`${c.req.method} ${route}`);
    if (action) line.action = action;
    for (const field of AUDIT_FIELDS) {
      const value = c.get(field);
      if (value) line[field] = value;
    }
    const failure = c.get("failure");
    if (failure) Object.assign(line, { level: "error" }, failure);
    if (c.get("aborted")) Object.assign(line, { level: "info", aborted: true });
    log(line);
  };
}

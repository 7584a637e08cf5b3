import type { Context, MiddlewareHandler, TypedResponse } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import type { JSONParsed, JSONValue } from "hono/utils/types";

/**
 * The headers every answer of a request carries (its id, the security headers, the caller's rate limit) are gathered
 * by the middleware in one plain record, and each answer is built with them by `answer()`. Not with `c.header()`:
 * Hono keeps those in a Headers object, which validates every header as it is set and sorts a copy to write them out,
 * where @hono/node-server writes a plain record to the socket as it stands (unless CORS_ORIGINS is set: Hono's CORS
 * middleware makes the answer's Headers before the handler runs). Names are lower case, as Headers would have
 * written them; they go out in the order they were added.
 */
const HEADERS_KEY = "responseHeaders";
/** The answer last built with the record: the one the safety net below leaves alone. */
const BUILT_KEY = "answerWithHeaders";

type AnyContext = Context<{ Variables: { [HEADERS_KEY]?: Record<string, string>; [BUILT_KEY]?: Response } }>;

/** This request's record, for a middleware to add to before the answer is built. */
export function responseHeaders(c: Context): Record<string, string> {
  const context = c as unknown as AnyContext;
  const headers = context.get(HEADERS_KEY);
  if (headers) return headers;
  const created: Record<string, string> = {};
  context.set(HEADERS_KEY, created);
  return created;
}

/** An answer with the request's headers, its content type, and headers of its own (`Allow`, `Retry-After`, ...). */
export function answer(c: Context, body: string | null, status: StatusCode, contentType?: string, own?: Readonly<Record<string, string>>): Response {
  const headers = { ...responseHeaders(c) };
  if (contentType) headers["content-type"] = contentType;
  if (own) for (const name in own) headers[name.toLowerCase()] = own[name]!;
  const response = new Response(body, { status, headers });
  (c as unknown as AnyContext).set(BUILT_KEY, response);
  return response;
}

/** `c.json()` through `answer()`, typed as `c.json()` is, so a route's handler is still checked against its definition. */
export function answerJson<T extends JSONValue | object, S extends ContentfulStatusCode>(
  c: Context,
  data: T,
  status: S,
): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  return answer(c, JSON.stringify(data), status, "application/json") as Response & TypedResponse<JSONParsed<T>, S, "json">;
}

/**
 * The safety net, outermost but the log line: an answer built another way (a static file, Hono's own) gets the
 * record's headers afterwards, keeping any it set itself.
 */
export const withResponseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if ((c as unknown as AnyContext).get(BUILT_KEY) === c.res) return;
  for (const [name, value] of Object.entries(responseHeaders(c))) if (!c.res.headers.has(name)) c.header(name, value);
};

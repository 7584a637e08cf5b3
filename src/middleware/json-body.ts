import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { ClientAborted } from "./client-abort.ts";

export const MAX_BODY_BYTES = 16 * 1024;
/** Deeper than any real request: the actions' bodies are two levels deep. */
export const MAX_JSON_DEPTH = 32;

const tooLarge = () => new ApiError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);

/** Counts a streamed (chunked) body as it arrives and stops reading at the limit. */
const limitStreamedBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/** A chunked body, counted as it arrives. bodyLimit reads it whole before calling next: a failure before then is its stream breaking. */
async function limitStreamed(c: Context<AppEnv>, next: () => Promise<void>) {
  let read = false;
  try {
    return await limitStreamedBody(c, () => {
      read = true;
      return next();
    });
  } catch (error) {
    throw read || error instanceof ApiError ? error : new ClientAborted(error);
  }
}

/**
 * 413 before anything else reads the body. A body with a Content-Length (what curl, flows and SDKs send) is judged by
 * the header, and the server guarantees no more arrives; only a chunked body goes through Hono's bodyLimit, which
 * counts it as it streams. Hono's middleware is not used for the common case because it opens the body as a web
 * stream, which makes @hono/node-server build a full Request and forgo its direct read of the socket.
 */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const headers = c.req.raw.headers;
  if (headers.has("transfer-encoding")) return limitStreamed(c, next);
  if (Number(headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  return next();
};

/** The media types the routes' validator (@hono/zod-openapi) takes as JSON: the same rule, so one check decides. */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z.-]+\+)?json$/i;

/**
 * Whether a body follows. On Node (@hono/node-server, whose env carries the IncomingMessage) HTTP/1.1 framing
 * says it in the headers, and asking the request itself would make the adapter build a full Request. Elsewhere
 * (Workers, HTTP/2 behind a proxy) a body can come with neither header, so the request is asked.
 */
function hasBody(c: Context<AppEnv>): boolean {
  const headers = c.req.raw.headers;
  if (headers.has("transfer-encoding")) return true;
  const length = headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  const onNode = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  return !onNode && c.req.raw.body !== null;
}

/**
 * Whether JSON text nests objects and arrays deeper than `limit`: one pass over the characters, skipping strings, so
 * no recursion (JSON.parse's, a later walk's, the validator's) ever meets a body built to exhaust the stack.
 */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

/**
 * Without its null-valued fields: flows send null for an input left blank, and the API counts null as absent (README:
 * "The actions"). The body itself when it has none, the usual case, so that case copies nothing.
 */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  for (const key in body) {
    // fromEntries defines each field as its own, so a field named __proto__ stays a field.
    if (body[key] === null) return Object.fromEntries(Object.entries(body).filter(([, field]) => field !== null));
  }
  return body;
}

/**
 * The route's validator reads the body with c.req.json() (nothing after this middleware reads it any other way), which
 * in Hono parses the cached text again every time: for this request it answers with the body parsed here instead.
 */
function cacheParsed(c: Context<AppEnv>, body: Record<string, unknown>) {
  c.req.json = <T>() => Promise.resolve(body as T);
}

/**
 * No body counts as `{}`, whatever Content-Type came with it (README: Create a user takes no body, an empty body or
 * `{}` alike). The route's validator would refuse a non-JSON Content-Type even without a body, so the request is
 * relabelled JSON; Workers' incoming headers are immutable, hence the copy there.
 */
function asEmptyJsonObject(c: Context<AppEnv>, mediaType: string) {
  cacheParsed(c, {});
  if (JSON_MEDIA_TYPE.test(mediaType)) return;
  try {
    c.req.raw.headers.set("content-type", "application/json");
  } catch {
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", "application/json");
    c.req.raw = new Request(c.req.raw, { headers });
  }
}

/**
 * Reads a JSON request body once, before the route's validator, so that:
 * - a body that is not application/json is 415 and malformed JSON is a 400 problem (not Hono's plain text);
 * - an empty body counts as no body, and no body as `{}`;
 * - JSON nested deeper than MAX_JSON_DEPTH is a 400 before it is parsed;
 * - a body whose stream breaks (the client went away) is ClientAborted, not a failure of the service;
 * - null fields are dropped before validation.
 * The route's validator is handed the cleaned body as parsed here.
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.raw.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (!hasBody(c)) {
    asEmptyJsonObject(c, mediaType);
    return next();
  }
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError("unsupported_media_type", `Send the request body as application/json${mediaType ? `, not ${mediaType}` : ""}.`);
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (error) {
    throw new ClientAborted(error);
  }
  if (text.trim() === "") {
    asEmptyJsonObject(c, mediaType);
    return next();
  }
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError("validation_failed", `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, {
      errors: [{ path: "body", message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` }],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError("validation_failed", "The request body is not valid JSON.", { errors: [{ path: "body", message: "Not valid JSON." }] });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("validation_failed", "The request body must be a JSON object.", { errors: [{ path: "body", message: "Must be a JSON object." }] });
  }
  cacheParsed(c, withoutNulls(parsed as Record<string, unknown>));
  return next();
};

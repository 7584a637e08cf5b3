import type { Context } from "hono";
import type { UnofficialStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../app-env.ts";
import { answer } from "../response-headers.ts";

/**
 * The request body stopped arriving: the client went away, or Node cut it for being too slow. Nobody is left to read
 * an answer, and nothing on the service's side failed, so it is neither a 500 nor an error line.
 */
export class ClientAborted extends Error {
  constructor(cause: unknown) {
    super("The client went away before its request body was read.", { cause });
    this.name = "ClientAborted";
  }
}

/** nginx's "client closed request": what log tools already read as the client's doing, not the server's. */
const CLIENT_CLOSED_REQUEST = 499 as UnofficialStatusCode;

/** Marks the request for its log line; the answer itself reaches no one. */
export function abortedResponse(c: Context<AppEnv>): Response {
  c.set("aborted", true);
  return answer(c, null, CLIENT_CLOSED_REQUEST);
}

// The HTTP front: node:http directly, because `drop` faults need the raw socket.
// Order for an ACS request: log it -> injected fault -> body size (413) -> authentication (401 Denied)
// -> route (404) -> api-version (400) -> operation. Control requests pass control-guard.ts first.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "./auth.ts";
import type { EmulatorContext } from "./context.ts";
import { IDENTITY_PATH, type ManagedIdentity } from "./managed-identity.ts";
import { handleControl } from "./control.ts";
import { guardControl } from "./control-guard.ts";
import { acsError, denied, type Reply } from "./errors.ts";
import { faultReply, type FaultQueue } from "./faults.ts";
import type { RequestLog } from "./requests.ts";
import { routeAcs } from "./routes.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export interface ServerDeps {
  ctx: EmulatorContext;
  faults: FaultQueue;
  log: RequestLog;
  key: Buffer;
  maxClockSkewMs: number;
  identity: ManagedIdentity;
}

export interface RequestHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends pending fault delays so that closing does not wait for them. */
  shutdown(): void;
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads the body; undefined when it is larger than the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * As recorded: a success is `application/json; charset=utf-8` with a Content-Length, an error `application/json`
 * sent chunked (the SDKs' recordings, e.g. Python tests/recordings ...test_get_token_with_no_scopes.json).
 */
function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const all: Record<string, string> = { ...headers, ...reply.headers };
  if (reply.json === undefined) {
    res.writeHead(reply.status, all);
    res.end();
    return;
  }
  const payload = JSON.stringify(reply.json);
  if (reply.status < 400) {
    all["Content-Type"] = "application/json; charset=utf-8";
    all["Content-Length"] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, all);
    res.end(payload);
    return;
  }
  all["Content-Type"] = "application/json";
  res.writeHead(reply.status, all);
  res.write(payload);
  res.end();
}

function scheme(req: IncomingMessage): "http" | "https" {
  return (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
}

function tooLarge(): Reply {
  return {
    ...acsError(413, "RequestEntityTooLarge", `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
    headers: { Connection: "close" },
  };
}

/**
 * Headers every real ACS answer carries (the SDKs' recordings): a correlation vector and the request id echo.
 * `api-supported-versions` is the router's: it depends on the resource and the answer.
 */
function acsHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {
    "MS-CV": `${randomBytes(16).toString("base64").slice(0, 22)}.0`,
  };
  const clientRequestId = singleHeader(req, "x-ms-client-request-id");
  if (clientRequestId !== undefined) headers["x-ms-client-request-id"] = clientRequestId;
  return headers;
}

export function createRequestHandler(deps: ServerDeps): RequestHandler {
  const sleeping = new Set<() => void>();

  /** Resolves true after `ms`, or false at once when the emulator shuts down. */
  function sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleeping.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        sleeping.delete(wake);
        resolve(true);
      }, ms);
      sleeping.add(wake);
    });
  }

  async function handleControlRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return send(res, tooLarge());
    let parsed: unknown;
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return send(res, acsError(400, "BadRequest", "The request body is not valid JSON."));
      }
    }
    send(res, handleControl(deps, req.method ?? "GET", path, parsed));
  }

  async function handleAcsRequest(req: IncomingMessage, res: ServerResponse, path: string, query: string, target: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const entry = deps.log.add({ method, path, status: null, clientRequestId: singleHeader(req, "x-ms-client-request-id") ?? null, auth: null });
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    const headers = acsHeaders(req);

    const fault = deps.faults.next();
    if (fault?.delayMs) {
      if (!(await sleep(fault.delayMs))) return;
    }
    if (fault?.drop) {
      req.socket.destroy(); // no answer at all: the client sees a reset connection
      return;
    }
    if (fault?.status !== undefined) {
      return send(res, faultReply({ ...fault, status: fault.status }), headers);
    }

    const body = await readBody(req);
    if (body === undefined) return send(res, tooLarge(), headers);

    const host = singleHeader(req, "host") ?? "";
    const auth = await authenticate({
      method,
      pathAndQuery: target,
      headers: req.headers,
      body,
      key: deps.key,
      now: deps.ctx.now(),
      maxClockSkewMs: deps.maxClockSkewMs,
      identity: deps.identity,
    });
    if (!auth) return send(res, denied(), headers);
    entry.auth = auth;

    const origin = `${scheme(req)}://${host}`;
    send(res, routeAcs(deps.ctx, { method, path, query, origin, body }), headers);
  }

  return {
    handle(req, res) {
      // Origin-form target as sent, e.g. /identities/8%3Aacs%3A.../:issueAccessToken?api-version=2023-10-01
      const target = req.url ?? "/";
      const q = target.indexOf("?");
      const path = q < 0 ? target : target.slice(0, q);
      const query = q < 0 ? "" : target.slice(q + 1);
      const isControl = path === "/_emulator" || path.startsWith("/_emulator/");
      const refused = isControl ? guardControl(req, scheme(req), path !== IDENTITY_PATH) : undefined;
      if (refused) {
        req.resume(); // the body, if any, is not read: drain it so the answer can be written
        return send(res, refused);
      }
      const work =
        path === IDENTITY_PATH
          ? deps.identity.issue(req.method ?? "GET", query, req.headers).then((reply) => send(res, reply))
          : isControl
            ? handleControlRequest(req, res, path)
            : handleAcsRequest(req, res, path, query, target);
      work.catch((error: unknown) => {
        // A client that went away mid-request (a deadline aborted it) is no emulator bug: nothing to answer.
        if (req.destroyed && req.errored) return;
        // A bug in the emulator: say so on stderr, answer as ACS would.
        process.stderr.write(`emulator: internal error on ${req.method} ${path}: ${error instanceof Error ? error.stack : String(error)}\n`);
        send(res, acsError(500, "InternalServerError", "An internal server error occurred."));
      });
    },
    shutdown() {
      for (const wake of [...sleeping]) wake();
    },
  };
}

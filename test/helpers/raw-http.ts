import { connect } from "node:net";

export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh socket: no client-side normalisation of `..`, no
 * refusal of control characters or odd header values, so tests see what the server does with them.
 * Rejects when no complete answer arrives within `timeoutMs` (a hang is a failure, never a pass). `host` replaces
 * the Host header (default: the base URL's host and port).
 */
export function rawRequest(
  base: string,
  request: { method: string; target: string; headers?: [string, string][]; body?: string | Buffer; timeoutMs?: number; host?: string },
): Promise<RawResponse> {
  const url = new URL(base);
  const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${request.host ?? url.host}`, "Connection: close"];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");

  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(request.timeoutMs ?? 10_000, () => {
      socket.destroy();
      reject(new Error(`no answer within ${request.timeoutMs ?? 10_000} ms to ${request.method} ${request.target.slice(0, 80)}`));
    });
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => (chunks.length ? undefined : reject(error)));
    socket.on("close", () => {
      try {
        resolve(parse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(body ? Buffer.concat([head, body]) : head);
  });
}

function parse(raw: Buffer): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`incomplete answer: ${JSON.stringify(raw.toString("latin1").slice(0, 200))}`);
  const [statusLine = "", ...headerLines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const at = line.indexOf(":");
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let payload = raw.subarray(end + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) payload = dechunk(payload);
  return { status, headers, body: payload.toString("utf8") };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", at);
    const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

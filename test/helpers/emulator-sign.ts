// Raw, hand-signed requests to the emulator, written independently of src/emulator/hmac.ts so that
// the tests check the emulator against the signing rules rather than against itself.
import { createHash, createHmac } from "node:crypto";

export interface SignOptions {
  method?: string;
  /** JSON-serialised when not a string. */
  body?: unknown;
  /** Access key used to sign (base64); defaults to the emulator's. */
  key?: string;
  /** Overrides the signed date (RFC 1123). */
  date?: string;
  /** Overrides the x-ms-content-sha256 header (the signature still covers this value). */
  contentHash?: string;
  headers?: Record<string, string>;
  /** Signs this path and query instead of the one sent (to test that the target is signed). */
  signAs?: string;
  /** Names and signs these headers, in this order, instead of x-ms-date;host;x-ms-content-sha256. */
  signedHeaders?: readonly string[];
}

export interface Target {
  endpoint: string;
  accessKey: string;
}

/** Sends `pathAndQuery` to the emulator signed like @azure/communication-common does. */
export async function signedFetch(target: Target, pathAndQuery: string, options: SignOptions = {}): Promise<Response> {
  const method = options.method ?? "POST";
  const body = options.body === undefined ? "" : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const url = new URL(pathAndQuery, target.endpoint);
  const date = options.date ?? new Date().toUTCString();
  const hash = options.contentHash ?? createHash("sha256").update(body).digest("base64");
  const values: Record<string, string> = { "x-ms-date": date, date, host: url.host, "x-ms-content-sha256": hash };
  const signedHeaders = options.signedHeaders ?? ["x-ms-date", "host", "x-ms-content-sha256"];
  const signedValues = signedHeaders.map((name) => values[name] ?? "").join(";");
  const stringToSign = `${method}\n${options.signAs ?? `${url.pathname}${url.search}`}\n${signedValues}`;
  const signature = createHmac("sha256", Buffer.from(options.key ?? target.accessKey, "base64"))
    .update(stringToSign)
    .digest("base64");
  return fetch(url, {
    method,
    body: method === "GET" || method === "HEAD" ? undefined : body,
    headers: {
      "content-type": "application/json",
      "x-ms-date": date,
      "x-ms-content-sha256": hash,
      authorization: `HMAC-SHA256 SignedHeaders=${signedHeaders.join(";")}&Signature=${signature}`,
      ...options.headers,
    },
  });
}

// HMAC-SHA256 request signing as @azure/communication-common's
// createCommunicationAccessKeyCredentialPolicy does it (checked against 2.5.0 in node_modules):
//   stringToSign = VERB + "\n" + pathAndQuery + "\n" + x-ms-date + ";" + host + ";" + x-ms-content-sha256
//   Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64 HMAC>
// with the base64-decoded access key as the HMAC key and host including the port.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export function contentHash(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("base64");
}

function hmacSignature(key: Buffer, stringToSign: string): string {
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("base64");
}

export interface HmacCheck {
  method: string;
  /** The request target exactly as received: path still percent-encoded, query included. */
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  key: Buffer;
  now: number;
  maxClockSkewMs: number;
}

// The SignedHeaders list, in order, as communication-common's policy sends it (2.5.0, used by communication-identity 1.3.1).
const SIGNED_HEADERS = ["x-ms-date", "host", "x-ms-content-sha256"] as const;
const AUTH_PATTERN = /^HMAC-SHA256\s+SignedHeaders=([^&\s]+)&Signature=(\S+)$/;
// RFC 1123 as Date.prototype.toUTCString() writes it, which is what the SDK sends.
const RFC1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value; // a repeated signed header is ambiguous: refuse
}

function sameBase64(a: string, b: string): boolean {
  const left = Buffer.from(a, "base64");
  const right = Buffer.from(b, "base64");
  // Lengths are public (fixed for SHA-256); only the bytes need a constant-time compare.
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** True when the request carries a valid HMAC-SHA256 signature made with `key`. */
export function verifyHmac(check: HmacCheck): boolean {
  const match = AUTH_PATTERN.exec(header(check.headers, "authorization") ?? "");
  // Exactly the list the SDK signs (docs/architecture.md, "The emulator's facts"): another order, or `date` for `x-ms-date`, is refused.
  if (!match || match[1] !== SIGNED_HEADERS.join(";")) return false;

  const values: string[] = [];
  for (const name of SIGNED_HEADERS) {
    const value = header(check.headers, name);
    if (value === undefined) return false;
    values.push(value);
  }

  const [date = ""] = values;
  const when = Date.parse(date);
  if (!RFC1123.test(date) || Number.isNaN(when) || Math.abs(check.now - when) > check.maxClockSkewMs) return false;

  if (!sameBase64(header(check.headers, "x-ms-content-sha256") ?? "", contentHash(check.body))) return false;

  const stringToSign = `${check.method.toUpperCase()}\n${check.pathAndQuery}\n${values.join(";")}`;
  return sameBase64(match[2] ?? "", hmacSignature(check.key, stringToSign));
}

/** True for non-empty, canonical, padded base64 (what Azure access keys are). */
export function isBase64Key(value: string): boolean {
  return value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

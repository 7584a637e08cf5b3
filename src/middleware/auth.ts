import { hash } from "node:crypto";
import type { Context, MiddlewareHandler, Next } from "hono";
import type { AppEnv } from "../app-env.ts";
import { type NamedKey, parseApiKeys } from "../config.ts";
import type { EntraVerifier } from "../entra.ts";
import { ApiError } from "../errors.ts";

const API_KEY_HEADER = "x-api-key";
const REALM = "acs-identity-connector";

/** crypto.hash: one call (Node 21.7 and later, and workerd's node:crypto), where a Hash object would cost several. */
const sha256Hex = (text: string) => hash("sha256", text);

/**
 * Whether two digests of the same length are equal, in time that depends on neither. Not timingSafeEqual: it takes
 * buffers, and hashing to a buffer and comparing took 2.7 us a check on Node 24 where the hex digest and this loop take 0.6.
 */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Names the caller whose X-API-Key matches one of API_KEYS, or none. Several keys are accepted at once so a key can
 * be rotated without downtime. Keys are compared by SHA-256 digest in constant time, every configured key even after
 * a match, so the answer's timing says nothing about which key, or how much of one, was right. The configured keys
 * are hashed once; node:crypto (also on Workers with nodejs_compat) hashes the offered one synchronously, where Web
 * Crypto's digest would cost a round trip through the thread pool on every request.
 */
function apiKeyMatcher(keys: readonly NamedKey[]): (offered: string) => string | undefined {
  const digests = keys.map(({ name, key }) => ({ name, digest: sha256Hex(key) }));
  return (offered) => {
    const digest = sha256Hex(offered);
    let caller: string | undefined;
    for (const key of digests) caller = sameDigest(digest, key.digest) ? key.name : caller;
    return caller;
  };
}

export interface AuthOptions {
  /** API_KEYS entries: `key`, or `name:key` to name the caller. */
  apiKeys: readonly string[];
  /** Set when ENTRA_TENANT_ID and ENTRA_AUDIENCE are: `Authorization: Bearer` tokens are accepted too. */
  entra?: EntraVerifier;
}

/** RFC 6750 quoted-string: the reason is ours, but keep it safe to quote anyway. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "")}"`;

/**
 * One gate for every /v1 route: either credential lets a caller in. A refusal is 401 problem+json with one
 * WWW-Authenticate challenge per accepted scheme; the Bearer one names the RFC 6750 error when a token was sent.
 * A token without the required role is 401 too, not 403: 401 is the one "fix your credentials" answer (README: "Errors").
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const { apiKeys, entra } = options;
  const callerOfKey = apiKeyMatcher(parseApiKeys(apiKeys));
  // A known key goes on at once, the usual case; a bearer token, or a refusal, takes the asynchronous way below.
  return (c, next) => {
    const offeredKey = c.req.header(API_KEY_HEADER);
    const keyCaller = offeredKey ? callerOfKey(offeredKey) : undefined;
    if (!keyCaller) return bearerOrRefusal(c, next, offeredKey);
    c.set("caller", keyCaller);
    return next();
  };

  async function bearerOrRefusal(c: Context<AppEnv>, next: Next, offeredKey: string | undefined) {
    const bearerToken = entra ? /^Bearer +([^\s]+) *$/i.exec(c.req.header("authorization") ?? "")?.[1] : undefined;
    const verdict = bearerToken && entra ? await entra.verify(bearerToken) : undefined;
    if (verdict?.ok) {
      c.set("caller", verdict.caller);
      return next();
    }

    const keysAccepted = apiKeys.length > 0 || !entra;
    const challenges: string[] = [];
    if (keysAccepted) challenges.push(`ApiKey realm="${REALM}", header="X-API-Key"`);
    if (entra) {
      challenges.push(
        verdict
          ? `Bearer realm="${REALM}", error="${verdict.error}", error_description=${quoted(`The token is not accepted: ${verdict.reason}.`)}`
          : `Bearer realm="${REALM}"`,
      );
    }
    const ask = [keysAccepted && "an API key in the X-API-Key header", entra && "a Microsoft Entra ID access token in the Authorization: Bearer header"]
      .filter(Boolean)
      .join(" or ");
    const detail = verdict
      ? `The bearer token is not accepted: ${verdict.reason}.`
      : offeredKey
        ? "The X-API-Key header holds a key this service does not accept."
        : `Send ${ask}.`;
    throw new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": challenges.join(", ") } });
  }
}

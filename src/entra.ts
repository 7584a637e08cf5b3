import { createRemoteJWKSet, customFetch, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { ApiError } from "./errors.ts";
import { type BackoffOptions, withFailureBackoff } from "./fetch-backoff.ts";

/**
 * Checks Microsoft Entra ID access tokens of callers (README: "Callers: Microsoft Entra ID bearer tokens") with jose: RS256 only,
 * the tenant's issuer in its v1 or v2 form, the configured audience, exp/nbf with a small clock skew, `tid`, and
 * optionally an app role or delegated scope.
 */

export interface EntraOptions {
  tenantId: string;
  audience: string;
  /** An app role (in `roles`) or a delegated scope (in the space-separated `scp`) the caller must hold. */
  requiredRole?: string;
  /** The tenant's signing keys; tests point this at a loopback server. Default: the tenant's discovery keys. */
  jwksUrl?: URL;
  /** Least time between two key fetches caused by an unknown `kid`: a flood of made-up kids costs one fetch. */
  cooldownMs?: number;
  /** Keys older than this are fetched again before use. */
  cacheMaxAgeMs?: number;
  /** After a failed key fetch, how long until the next try (doubling while failures go on). Default 1 s up to 30 s. */
  failureBackoff?: BackoffOptions;
}

export type BearerVerdict = { ok: true; caller: string } | { ok: false; error: "invalid_token" | "insufficient_scope"; reason: string };

export interface EntraVerifier {
  tenantId: string;
  audience: string;
  verify(token: string): Promise<BearerVerdict>;
}

/** Seconds of clock difference tolerated on exp and nbf, as Microsoft's own middleware allows a few minutes at most. */
const CLOCK_SKEW_SECONDS = 60;

const entraJwksUrl = (tenantId: string) => new URL(`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`);
const entraIssuers = (tenantId: string) => [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];

const invalid = (reason: string): BearerVerdict => ({ ok: false, error: "invalid_token", reason });

/** What a caller may be told about a refused token; never the token's content, only which check failed. */
function refusal(error: unknown, retryAfterSeconds: number): BearerVerdict {
  if (error instanceof errors.JWTExpired) return invalid("it has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const what: Record<string, string> = {
      iss: "it was issued by another tenant or authority",
      aud: "it was issued for another audience",
      nbf: "it is not valid yet",
    };
    return invalid(what[error.claim] ?? `its ${error.claim} claim is not accepted`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid("it is not signed with RS256");
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("its signature does not verify");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return invalid("it is signed with a key the tenant does not publish");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported)
    return invalid("it is not a well-formed signed JWT");
  // The keys could not be fetched: not the caller's fault, so not a 401 (a 401 means "fix your credentials").
  throw new ApiError("upstream_unavailable", "Microsoft Entra ID's signing keys could not be fetched to check the bearer token; retry later.", {
    cause: error,
    ...(retryAfterSeconds > 0 && { headers: { "Retry-After": String(retryAfterSeconds) } }),
  });
}

/**
 * The caller's name: `app:<appid>` for an app (or managed identity) acting as itself, `app:<appid>/user:<oid>` for a
 * signed-in user through that app. v1 tokens name the app in `appid`, v2 tokens in `azp`; a user's token carries
 * `idtyp: "user"` when the optional claim is on, and otherwise is told apart by its delegated scopes (`scp`).
 */
function callerOf(payload: JWTPayload): string | undefined {
  const app = typeof payload.appid === "string" ? payload.appid : typeof payload.azp === "string" ? payload.azp : undefined;
  if (!app) return undefined;
  const isUser = payload.idtyp === "user" || (payload.idtyp === undefined && typeof payload.scp === "string");
  return isUser && typeof payload.oid === "string" ? `app:${app}/user:${payload.oid}` : `app:${app}`;
}

function holdsRole(payload: JWTPayload, role: string): boolean {
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
  return roles.includes(role) || scopes.includes(role);
}

export function createEntraVerifier(options: EntraOptions): EntraVerifier {
  const tenantId = options.tenantId.toLowerCase();
  // jose already shares one fetch among concurrent requests (except on Workers, where the back-off still applies).
  const gate = withFailureBackoff((input, init) => fetch(input, init), options.failureBackoff ?? { firstMs: 1_000, maxMs: 30_000 });
  const keys: JWTVerifyGetKey = createRemoteJWKSet(options.jwksUrl ?? entraJwksUrl(tenantId), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: 5_000,
    [customFetch]: gate.fetch,
  });
  const issuer = entraIssuers(tenantId);

  return {
    tenantId,
    audience: options.audience,
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ["RS256"],
          issuer,
          audience: options.audience,
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ["exp", "tid"],
        }));
      } catch (error) {
        return refusal(error, gate.retryAfterSeconds());
      }
      if (typeof payload.tid !== "string" || payload.tid.toLowerCase() !== tenantId) return invalid("it was issued for another tenant");
      if (options.requiredRole && !holdsRole(payload, options.requiredRole)) {
        return { ok: false, error: "insufficient_scope", reason: `it lacks the ${options.requiredRole} app role or scope` };
      }
      const caller = callerOf(payload);
      if (!caller) return invalid("it names no client application (appid or azp)");
      return { ok: true, caller };
    },
  };
}

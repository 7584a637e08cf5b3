// Caller authentication for ACS requests: HMAC-SHA256 with the access key, or an Entra ID bearer token, as real
// ACS accepts both. Bearer tokens are those of the emulator's own managed-identity endpoint, for ACS's audience.
import { verifyHmac, type HmacCheck } from "./hmac.ts";
import type { ManagedIdentity } from "./managed-identity.ts";

export type AuthRequest = HmacCheck & { identity: ManagedIdentity };
export type AuthScheme = "hmac" | "bearer";

/** The scheme that authenticated the request, or undefined when it is refused. */
export async function authenticate(request: AuthRequest): Promise<AuthScheme | undefined> {
  const authorization = request.headers.authorization ?? "";
  if (/^HMAC-SHA256\s/i.test(authorization)) return verifyHmac(request) ? "hmac" : undefined;
  const bearer = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization)?.[1];
  if (bearer) return (await request.identity.verify(bearer)) ? "bearer" : undefined;
  return undefined;
}

// Caller authentication for ACS requests, in one place so that another scheme
// (e.g. `Authorization: Bearer` Entra tokens, as real ACS accepts) can be added beside HMAC later.
import { verifyHmac, type HmacCheck } from "./hmac.ts";

export type AuthRequest = HmacCheck;

export function authenticate(request: AuthRequest): boolean {
  const authorization = request.headers.authorization ?? "";
  if (/^HMAC-SHA256\s/i.test(authorization)) return verifyHmac(request);
  // Bearer tokens are not accepted yet.
  return false;
}

// POST /_emulator/verify: judges an ACS token as the services that accept them (chat, calling) would.
import type { EmulatorContext } from "./context.ts";

export type VerifyResult =
  | { valid: true; userId: string; scopes: string[]; expiresOn: string }
  | { valid: false; reason: "malformed" | "bad_signature" | "unknown_user" | "user_deleted" | "revoked" | "expired" };

export function verifyToken(ctx: EmulatorContext, token: string): VerifyResult {
  const verdict = ctx.signer.check(token);
  if (!verdict.ok) return { valid: false, reason: verdict.reason };
  const { claims } = verdict;
  const userId = `8:${claims.skypeid}`;

  // Teams users (8:orgid:) are not users of the resource: there is nothing to revoke or delete.
  if (!claims.skypeid.startsWith("orgid:")) {
    const user = ctx.store.find(userId);
    if (!user) return { valid: false, reason: "unknown_user" };
    if (user.deleted) return { valid: false, reason: "user_deleted" };
    if (claims.emuGen !== user.generation) return { valid: false, reason: "revoked" };
  }
  if (claims.exp * 1000 <= ctx.now()) return { valid: false, reason: "expired" };

  return {
    valid: true,
    userId,
    scopes: claims.acsScope === "" ? [] : claims.acsScope.split(","),
    expiresOn: new Date(claims.exp * 1000).toISOString(),
  };
}

// What the request handlers share: the state, the token signer and the clock.
import type { UserStore } from "./store.ts";
import type { IssuedToken, TokenSigner } from "./tokens.ts";

export interface EmulatorContext {
  store: UserStore;
  signer: TokenSigner;
  /** Milliseconds since the epoch; replaceable in tests. */
  now(): number;
}

/**
 * Signs a token for `userId` (`8:acs:...` or `8:orgid:...`). Real tokens carry the id without the
 * `8:` prefix in `skypeid`. `scp` 1792 is the value seen in real tokens; region and location are fixed.
 */
export function issueToken(ctx: EmulatorContext, userId: string, scopes: readonly string[], expiresAt: number, generation: number): IssuedToken {
  const iat = Math.floor(ctx.now() / 1000);
  return ctx.signer.sign({
    skypeid: userId.replace(/^8:/, ""),
    scp: 1792,
    csi: String(iat),
    exp: expiresAt,
    rgn: "amer",
    acsScope: scopes.join(","),
    resourceId: ctx.store.resourceId,
    resourceLocation: "unitedstates",
    iat,
    emuGen: generation,
  });
}

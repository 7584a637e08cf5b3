// The identity operations of ACS Identity api-version 2023-10-01 (REST spec:
// Azure/azure-rest-api-specs specification/communication/data-plane/Identity/stable/2023-10-01/CommunicationIdentity.json).
import { issueToken, type EmulatorContext } from "./context.ts";
import { identityNotFound, validationError, type Reply } from "./errors.ts";
import { DEFAULT_LIFETIME_MINUTES } from "./tokens.ts";

// CommunicationIdentityTokenScope in the spec.
export const SCOPES: readonly string[] = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"];

type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/**
 * Validates a scope list (`createTokenWithScopes` or `scopes`). The error target is "scopes" for both, as
 * the SDK's recordings show it for an empty list.
 */
function checkScopes(value: unknown): Checked<string[]> {
  const target = "scopes";
  // Message of the real service for an empty list, from the SDK's recordings and live tests
  // (azure-sdk-for-js communication-identity: "Invalid scopes - Scopes field is required.", target "scopes").
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return { ok: false, reply: validationError("Invalid scopes - Scopes field is required.", target) };
  }
  if (!Array.isArray(value)) {
    return { ok: false, reply: validationError("Invalid scopes - Scopes must be an array of strings.", target) };
  }
  const unknown = value.find((scope) => typeof scope !== "string" || !SCOPES.includes(scope));
  if (unknown !== undefined) {
    // ASSUMPTION: wording of the unknown-scope message is not documented.
    return {
      ok: false,
      reply: validationError(`Invalid scopes - '${String(unknown)}' is not a valid scope. Valid scopes: ${SCOPES.join(", ")}.`, target),
    };
  }
  return { ok: true, value: [...new Set(value as string[])] };
}

/** expiresInMinutes: optional integer within [60, 1440] (spec: minimum 60, maximum 1440, default 1440). */
function checkMinutes(value: unknown): Checked<number> {
  if (value === undefined || value === null) return { ok: true, value: DEFAULT_LIFETIME_MINUTES };
  if (typeof value !== "number" || !Number.isInteger(value) || value < 60 || value > 1440) {
    // ASSUMPTION: wording not documented; the SDK's live tests only assert status 400 for 59 and 1441.
    return {
      ok: false,
      reply: validationError("Invalid expiresInMinutes - The value must be an integer between 60 and 1440 (minutes).", "expiresInMinutes"),
    };
  }
  return { ok: true, value };
}

function tokenFor(ctx: EmulatorContext, id: string, scopes: string[], minutes: number, generation: number) {
  return issueToken(ctx, id, scopes, Math.floor(ctx.now() / 1000) + minutes * 60, generation);
}

/** POST /identities: body absent, `{}`, or `{ createTokenWithScopes, expiresInMinutes }`. */
export function createIdentity(ctx: EmulatorContext, body: Record<string, unknown> | undefined): Reply {
  const wanted = body?.createTokenWithScopes;
  let token: { scopes: string[]; minutes: number } | undefined;
  // Without createTokenWithScopes no token is made and expiresInMinutes has nothing to apply to.
  if (wanted !== undefined && wanted !== null) {
    const scopes = checkScopes(wanted);
    if (!scopes.ok) return scopes.reply;
    const minutes = checkMinutes(body?.expiresInMinutes);
    if (!minutes.ok) return minutes.reply;
    token = { scopes: scopes.value, minutes: minutes.value };
  }
  const id = ctx.store.create();
  const identity = { id };
  if (!token) return { status: 201, json: { identity } };
  return { status: 201, json: { identity, accessToken: tokenFor(ctx, id, token.scopes, token.minutes, 0) } };
}

/** POST /identities/{id}/:issueAccessToken with `{ scopes, expiresInMinutes? }`. */
export function issueAccessToken(ctx: EmulatorContext, id: string, body: Record<string, unknown> | undefined): Reply {
  // Body validation comes first, as ASP.NET model validation runs before the action.
  const scopes = checkScopes(body?.scopes);
  if (!scopes.ok) return scopes.reply;
  const minutes = checkMinutes(body?.expiresInMinutes);
  if (!minutes.ok) return minutes.reply;
  const user = ctx.store.live(id);
  if (!user) return identityNotFound();
  return { status: 200, json: tokenFor(ctx, id, scopes.value, minutes.value, user.generation) };
}

/** POST /identities/{id}/:revokeAccessTokens: every token issued so far stops being valid. */
export function revokeAccessTokens(ctx: EmulatorContext, id: string): Reply {
  const user = ctx.store.live(id);
  if (!user) return identityNotFound();
  ctx.store.revoke(user);
  return { status: 204 };
}

/** DELETE /identities/{id}: the id becomes unusable and its tokens invalid. */
export function deleteIdentity(ctx: EmulatorContext, id: string): Reply {
  const user = ctx.store.live(id);
  if (!user) return identityNotFound();
  ctx.store.delete(user);
  return { status: 204 };
}

// The identity operations, as each api-version's REST spec has them (Azure/azure-rest-api-specs
// specification/communication/data-plane/Identity/*/CommunicationIdentity.json). Messages, targets and
// casing are those the SDKs' recordings show (see the emulator's README for each source).
import { issueToken, type EmulatorContext } from "./context.ts";
import { identityNotOwned, requiredField, validationError, type Reply } from "./errors.ts";
import type { UserState } from "./store.ts";
import { acsDateTime, DEFAULT_LIFETIME_MINUTES } from "./tokens.ts";
import type { VersionFeatures } from "./versions.ts";

type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** Validates a non-null scope list (`createTokenWithScopes` or `scopes`) against the version's scopes. */
function checkScopes(value: unknown, allowed: readonly string[]): Checked<string[]> {
  // Recorded for `scopes: []` (azure-sdk-for-js recordings/node/, "throws an error when attempting to issue a token
  // without any scopes"): lower-case target, and the api-supported-versions header present.
  if (Array.isArray(value) && value.length === 0) {
    return { ok: false, reply: validationError("Invalid scopes - Scopes field is required.", "scopes") };
  }
  if (!Array.isArray(value)) {
    // ASSUMPTION: wording not recorded.
    return { ok: false, reply: validationError("Invalid scopes - Scopes must be an array of strings.", "scopes") };
  }
  const unknown = value.find((scope) => typeof scope !== "string" || !allowed.includes(scope));
  if (unknown !== undefined) {
    // ASSUMPTION: wording not recorded; a scope of a later version is as unknown as a made-up one.
    return {
      ok: false,
      reply: validationError(`Invalid scopes - '${String(unknown)}' is not a valid scope. Valid scopes: ${allowed.join(", ")}.`, "scopes"),
    };
  }
  return { ok: true, value: [...new Set(value as string[])] };
}

/**
 * expiresInMinutes: optional integer within [60, 1440], default 1440. Message and target recorded for 59 and 1441
 * (Python tests/recordings ...test_get_token_with_invalid_custom_expirations[min_invalid_mins-59].json and
 * ...create_user_and_token_with_invalid_custom_expirations[...]). Versions before 2022-10-01 have no such field: it
 * is ignored there, as ASP.NET ignores JSON members a model does not have.
 */
function checkMinutes(value: unknown, features: VersionFeatures): Checked<number> {
  if (!features.expiresInMinutes || value === undefined || value === null) return { ok: true, value: DEFAULT_LIFETIME_MINUTES };
  // ASSUMPTION: a value that is not a whole number (60.5, "60") gets the recorded range answer too; only 59 and 1441
  // are recorded.
  if (typeof value !== "number" || !Number.isInteger(value) || value < 60 || value > 1440) {
    const message = `ExpiresInMinutes value ${JSON.stringify(value)} is invalid. Value must be within the [60, 1440] interval.`;
    return { ok: false, reply: validationError(message, "ExpiresInMinutes") };
  }
  return { ok: true, value };
}

/** customId (or externalId): optional, 1..256 characters. ASSUMPTION: the wording of the refusal is ASP.NET's StringLength one. */
function checkCustomId(value: unknown, field: string): Checked<string | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== "string" || value.length < 1 || value.length > 256) {
    return { ok: false, reply: validationError(`The field ${field} must be a string with a minimum length of 1 and a maximum length of 256.`, field) };
  }
  return { ok: true, value };
}

function tokenFor(ctx: EmulatorContext, id: string, user: UserState, scopes: string[], minutes: number) {
  user.lastTokenIssuedAt = ctx.now();
  return issueToken(ctx, id, scopes, Math.floor(ctx.now() / 1000) + minutes * 60, user.generation);
}

/** The identity as the version shows it: `{ id }`, plus the custom id and last issue time where the version has them. */
function identityView(features: VersionFeatures, id: string, user: UserState): Record<string, string> {
  const view: Record<string, string> = { id };
  if (features.customId === false) return view;
  if (user.customId !== undefined) view[features.customId] = user.customId;
  if (user.lastTokenIssuedAt !== undefined) view.lastTokenIssuedAt = acsDateTime(user.lastTokenIssuedAt);
  return view;
}

/** POST /identities: body absent, `{}`, or `{ createTokenWithScopes, expiresInMinutes, customId }` by version. */
export function createIdentity(ctx: EmulatorContext, features: VersionFeatures, body: Record<string, unknown> | undefined): Reply {
  const wanted = body?.createTokenWithScopes;
  let token: { scopes: string[]; minutes: number } | undefined;
  // `createTokenWithScopes: null` makes no token (Python recordings ...test_create_user_and_token_with_no_scopes.json),
  // and without a token expiresInMinutes has nothing to apply to.
  if (wanted !== undefined && wanted !== null) {
    // ASSUMPTION: `createTokenWithScopes: []` is refused as issue's `scopes: []` is (recorded for issue only).
    const scopes = checkScopes(wanted, features.scopes);
    if (!scopes.ok) return scopes.reply;
    const minutes = checkMinutes(body?.expiresInMinutes, features);
    if (!minutes.ok) return minutes.reply;
    token = { scopes: scopes.value, minutes: minutes.value };
  }
  let customId: string | undefined;
  if (features.customId !== false) {
    const checked = checkCustomId(body?.[features.customId], features.customId);
    if (!checked.ok) return checked.reply;
    customId = checked.value;
  }

  // The same custom id returns the same identity. 2025-04-01-preview's spec answers such a repeat 200, 2025-03-02-preview's
  // lists only 201.
  const existing = customId === undefined ? undefined : ctx.store.byCustomId(customId);
  const status = existing && features.customId === "externalId" ? 200 : 201;
  const { id, user } = existing ?? ctx.store.create(customId);
  const json: Record<string, unknown> = {};
  const accessToken = token && tokenFor(ctx, id, user, token.scopes, token.minutes);
  json.identity = identityView(features, id, user);
  if (accessToken) json.accessToken = accessToken;
  return { status, json };
}

/** GET /identities/{id} (2025-03-02-preview on): `{ id, customId?, lastTokenIssuedAt? }`. */
export function getIdentity(ctx: EmulatorContext, features: VersionFeatures, id: string): Reply {
  const user = ctx.store.live(id);
  if (!user) return identityNotOwned(); // ASSUMPTION: answered as issue/revoke/delete answer an id not of the resource
  return { status: 200, json: identityView(features, id, user) };
}

/** POST /identities/{id}/:issueAccessToken with `{ scopes, expiresInMinutes? }`. */
export function issueAccessToken(ctx: EmulatorContext, features: VersionFeatures, id: string, body: Record<string, unknown> | undefined): Reply {
  // Body validation comes first, as ASP.NET model validation runs before the action. A missing or null `scopes`
  // is model binding's "required" answer (Python recordings ...test_get_token_with_no_scopes.json).
  if (body?.scopes === undefined || body.scopes === null) return requiredField("Scopes");
  const scopes = checkScopes(body.scopes, features.scopes);
  if (!scopes.ok) return scopes.reply;
  const minutes = checkMinutes(body.expiresInMinutes, features);
  if (!minutes.ok) return minutes.reply;
  const user = ctx.store.live(id);
  if (!user) return identityNotOwned();
  const token = tokenFor(ctx, id, user, scopes.value, minutes.value);
  // preview/2020-07-20-preview2's answer (its IssueToken example) carries the identity's id as well.
  return { status: 200, json: features.issueEchoesId ? { id, ...token } : token };
}

/** POST /identities/{id}/:revokeAccessTokens: every token issued so far stops being valid. */
export function revokeAccessTokens(ctx: EmulatorContext, id: string): Reply {
  const user = ctx.store.live(id);
  if (!user) return identityNotOwned();
  ctx.store.revoke(user);
  return { status: 204 };
}

/** DELETE /identities/{id}: the id becomes unusable and its tokens invalid. */
export function deleteIdentity(ctx: EmulatorContext, id: string): Reply {
  const user = ctx.store.live(id);
  if (!user) return identityNotOwned();
  ctx.store.delete(user);
  return { status: 204 };
}

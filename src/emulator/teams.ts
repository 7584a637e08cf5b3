// POST /teamsUser/:exchangeAccessToken: a Teams user's Entra token for an ACS token of `8:orgid:<oid>`.
//
// Microsoft's signing keys are out of reach, so the Entra token is judged by its claims alone: three base64url
// parts, a JSON payload with `tid`, `oid`, `appid` (v1 tokens) or `azp` (v2 tokens), and `exp` in the future
// (`nbf`, when present, not in the future).
//
// Answers as recorded (.NET SessionRecords CommunicationIdentityClientLiveTests/GetTokenForTeamsUserWith*ShouldThrow.json,
// Python tests/recordings ...test_get_token_for_teams_user_with_*.json), checked in this order (ASSUMPTION: each recording
// has one fault, so the order between two faults in one request is inferred, not recorded):
//   body or token missing (or null)        400 ValidationError "The body is either missing or doesn't contain any token." (no target, no versions header;
//                                          Java src/test/resources/session-records/CommunicationIdentityAsyncTests.getTokenForTeamsUserWithNullParams[1].json)
//   token empty, invalid or expired        401 InvalidAccessToken "Provided access token is not valid." (no versions header)
//   appId / userId empty                   400 ValidationError "AppId: The AppId field is required." / UserId (no versions header)
//   appId / userId not a GUID              400 ValidationError "Provided AppId has invalid format." / UserId, target appId / userId
//   appId not the token's appid            400 ValidationError "AAD application is not the expected one.", target appId
//   userId not the token's oid             400 ValidationError "Provided AAD token issued for unexpected user.", target userId
// The previews before 2022-06-01 take `{ token }` alone (their TeamsUserAccessTokenRequest), so only the token is judged.
import { issueToken, type EmulatorContext } from "./context.ts";
import { acsError, requiredField, validationError, type Reply } from "./errors.ts";
import { decodeSegment } from "./tokens.ts";
import type { VersionFeatures } from "./versions.ts";

// The exchanged token expires with the Teams token ("a new Communication Identity access token with a
// matching expiration time", spec summary), never later than the 24 h an ACS token may live.
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
// Entra tokens are judged with a little leeway for clock differences, as token validators usually are.
const LEEWAY_SECONDS = 300;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidToken(): Reply {
  return { ...acsError(401, "InvalidAccessToken", "Provided access token is not valid."), withoutVersions: true };
}

interface TeamsClaims {
  oid: string;
  app: string | undefined;
  exp: number;
}

function readClaims(token: unknown, nowSeconds: number): TeamsClaims | undefined {
  if (typeof token !== "string") return undefined;
  const parts = token.split(".");
  const claims = parts.length === 3 && parts[2] !== "" ? decodeSegment(parts[1] ?? "") : undefined;
  if (
    !claims ||
    typeof claims.exp !== "number" ||
    claims.exp <= nowSeconds ||
    (typeof claims.nbf === "number" && claims.nbf > nowSeconds + LEEWAY_SECONDS) ||
    typeof claims.tid !== "string" ||
    typeof claims.oid !== "string" ||
    claims.oid === ""
  ) {
    return undefined;
  }
  const app = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : undefined;
  return { oid: claims.oid, app, exp: claims.exp };
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function exchangeTeamsToken(ctx: EmulatorContext, features: VersionFeatures, body: Record<string, unknown> | undefined): Reply {
  if (body?.token === undefined || body.token === null) {
    return { ...acsError(400, "ValidationError", "The body is either missing or doesn't contain any token."), withoutVersions: true };
  }
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const claims = readClaims(body.token, nowSeconds);
  if (!claims) return invalidToken();

  if (features.teams === "token+app+user") {
    const appId = text(body?.appId);
    const userId = text(body?.userId);
    if (appId === "") return requiredField("AppId");
    if (userId === "") return requiredField("UserId");
    if (!GUID.test(appId)) return validationError("Provided AppId has invalid format.", "appId");
    if (!GUID.test(userId)) return validationError("Provided UserId has invalid format.", "userId");
    if (claims.app === undefined || appId.toLowerCase() !== claims.app.toLowerCase()) {
      return validationError("AAD application is not the expected one.", "appId");
    }
    if (userId.toLowerCase() !== claims.oid.toLowerCase()) return validationError("Provided AAD token issued for unexpected user.", "userId");
  }

  const expiresAt = Math.min(Math.floor(claims.exp), nowSeconds + MAX_LIFETIME_SECONDS);
  // ASSUMPTION: Teams users' tokens are shaped like the others, with the scopes a Teams user gets (chat, voip).
  return { status: 200, json: issueToken(ctx, `8:orgid:${claims.oid}`, ["chat", "voip"], expiresAt, 0) };
}

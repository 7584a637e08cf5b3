// POST /teamsUser/:exchangeAccessToken: a Teams user's Entra token for an ACS token of `8:orgid:<oid>`.
//
// Microsoft's signing keys are out of reach, so the Entra token is judged by its claims alone:
// three base64url parts, a JSON payload with `tid`, `oid`, `appid` (v1 tokens) or `azp` (v2 tokens),
// and `exp` in the future (`nbf`, when present, not in the future).
//
// Statuses follow the SDK's live tests (azure-sdk-for-js sdk/communication/communication-identity
// test/public/node/getTokenForTeamsUser.node.spec.ts): an empty, invalid or expired token -> 401;
// an empty, invalid or wrong clientId (appId) or userObjectId (userId) with a good token -> 400.
// The 401 body is the one in the SDK's recordings:
//   {"error":{"code":"InvalidAccessToken","message":"Provided access token is not valid."}}
// ASSUMPTION: the 400 bodies are not in any public source; the emulator answers ValidationError
// with target `appId` / `userId`, and with target `token`/`appId`/`userId` when a field is missing.
import { issueToken, type EmulatorContext } from "./context.ts";
import { acsError, validationError, type Reply } from "./errors.ts";
import { decodeSegment } from "./tokens.ts";

// The exchanged token expires with the Teams token ("a new Communication Identity access token with a
// matching expiration time", spec summary), never later than the 24 h an ACS token may live.
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
// Entra tokens are judged with a little leeway for clock differences, as token validators usually are.
const LEEWAY_SECONDS = 300;

function invalidToken(): Reply {
  return acsError(401, "InvalidAccessToken", "Provided access token is not valid.");
}

export function exchangeTeamsToken(ctx: EmulatorContext, body: Record<string, unknown> | undefined): Reply {
  for (const field of ["token", "appId", "userId"] as const) {
    if (typeof body?.[field] !== "string") {
      return validationError(`The ${field} field is required and must be a string.`, field);
    }
  }
  const { token, appId, userId } = body as { token: string; appId: string; userId: string };

  const parts = token.split(".");
  const claims = parts.length === 3 && parts[2] !== undefined ? decodeSegment(parts[1] ?? "") : undefined;
  const nowSeconds = Math.floor(ctx.now() / 1000);
  if (
    !claims ||
    typeof claims.exp !== "number" ||
    claims.exp <= nowSeconds ||
    (typeof claims.nbf === "number" && claims.nbf > nowSeconds + LEEWAY_SECONDS) ||
    typeof claims.tid !== "string" ||
    typeof claims.oid !== "string" ||
    claims.oid === ""
  ) {
    return invalidToken();
  }
  const tokenApp = typeof claims.appid === "string" ? claims.appid : claims.azp;
  if (typeof tokenApp !== "string") return invalidToken();

  if (appId === "" || appId !== tokenApp) {
    return validationError("The appId does not match the appid claim of the access token.", "appId");
  }
  if (userId === "" || userId !== claims.oid) {
    return validationError("The userId does not match the oid claim of the access token.", "userId");
  }

  const expiresAt = Math.min(Math.floor(claims.exp), nowSeconds + MAX_LIFETIME_SECONDS);
  // ASSUMPTION: Teams users' tokens are shaped like the others, with the scopes a Teams user gets (chat, voip).
  return { status: 200, json: issueToken(ctx, `8:orgid:${claims.oid}`, ["chat", "voip"], expiresAt, 0) };
}

// POST /teamsUser/:exchangeAccessToken: a Teams user's Entra token for an ACS token of `8:orgid:<oid>`.
//
// Microsoft's signing keys are out of reach, so the Entra token is judged by its claims alone:
// three base64url parts, a JSON payload with `tid`, `oid`, `appid` (v1 tokens) or `azp` (v2 tokens),
// and `exp` in the future (`nbf`, when present, not in the future).
//
// An empty, invalid or expired token -> 401, with the body of the SDK's recordings:
//   {"error":{"code":"InvalidAccessToken","message":"Provided access token is not valid."}}
// A good token whose appid/azp is not `appId` or whose oid is not `userId` -> the same 401, as the service's
// contract had it. The SDK's live tests (azure-sdk-for-js sdk/communication/communication-identity
// test/public/node/getTokenForTeamsUser.node.spec.ts) show 400 for a wrong clientId/userObjectId instead.
// ASSUMPTION: a field missing from the body is 400 ValidationError with target `token`/`appId`/`userId`.
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
  if (typeof tokenApp !== "string" || tokenApp === "" || appId !== tokenApp || userId !== claims.oid) return invalidToken();

  const expiresAt = Math.min(Math.floor(claims.exp), nowSeconds + MAX_LIFETIME_SECONDS);
  // ASSUMPTION: Teams users' tokens are shaped like the others, with the scopes a Teams user gets (chat, voip).
  return { status: 200, json: issueToken(ctx, `8:orgid:${claims.oid}`, ["chat", "voip"], expiresAt, 0) };
}

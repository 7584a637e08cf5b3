import { isRestError } from "@azure/core-rest-pipeline";
import { ApiError } from "../errors.ts";
import { retryAfterMs } from "./deadline-policy.ts";

/** What the failed ACS call was about: it decides what a 401/403/404 from ACS means. */
export type AcsCallKind = "create" | "user" | "teams";

/** ACS's own code and message, kept for the caller (they carry no secret: ACS never echoes keys or tokens). */
function acsDetail(code: string | undefined, message: string | undefined): string {
  const parts = [code, message?.trim()].filter(Boolean);
  return parts.length ? ` ACS said: ${parts.join(": ")}` : "";
}

/** @azure/identity's failures, known by name so that Workers never load the package to check instanceof. */
const CREDENTIAL_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

/**
 * Maps an error from the SDK to the public error model (the README's error table).
 *
 * The answers this rests on, as Microsoft's SDK test suites recorded them, but for the first, which is assumed:
 * - 401 `Denied` "Denied by the resource provider." is ACS refusing the service's own HMAC signature or token:
 *   upstream_auth_failed, never the caller's 401 (not in the Identity recordings; the emulator says so too).
 * - 401 `IdentityNotOwned` "Provided identity doesn't belong to the resource." answers issue, revoke and delete for an
 *   id that is not a user of the resource (azure-sdk-for-js sdk/communication/communication-identity
 *   recordings/node/, the "invalid user" cases): user_not_found. Any other 401/403/404 on a user's call is read the
 *   same way; a deleted user is assumed to answer as a foreign one.
 * - Teams exchange: 401 `InvalidAccessToken` "Provided access token is not valid." for an empty, invalid or expired
 *   Entra token, and 400 `ValidationError` for an empty, malformed or mismatched appId/userId ("AppId: The AppId
 *   field is required.", "Provided AppId has invalid format.", "AAD application is not the expected one.",
 *   "Provided AAD token issued for unexpected user."; azure-sdk-for-net
 *   sdk/communication/Azure.Communication.Identity/tests/SessionRecords/CommunicationIdentityClientLiveTests/
 *   GetTokenForTeamsUserWith*ShouldThrow.json, azure-sdk-for-python .../tests/recordings/
 *   *test_get_token_for_teams_user_with_*.json): teams_token_rejected, ACS's code and message in `detail`.
 */
export function mapAcsError(error: unknown, kind: AcsCallKind): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && CREDENTIAL_ERRORS.has(error.name)) {
    // The service's own Entra ID credential got no token for ACS: the operator's problem, never the caller's.
    return new ApiError(
      "upstream_auth_failed",
      "The service could not get an Entra ID token for Azure Communication Services; check its managed identity or credential configuration.",
      { cause: error },
    );
  }
  if (!isRestError(error)) {
    return new ApiError("internal", "The service failed to call Azure Communication Services.", { cause: error });
  }
  const status = error.statusCode;
  const code = error.code;
  const detail = acsDetail(code, error.message);
  if (status === undefined) {
    return new ApiError("upstream_unavailable", "Azure Communication Services could not be reached.", { cause: error });
  }
  if ((status === 401 || status === 403) && (code === "Denied" || kind === "create")) {
    return new ApiError("upstream_auth_failed", `Azure Communication Services rejected the service's own credentials; check its ACS configuration.${detail}`, {
      cause: error,
    });
  }
  if (kind === "user" && (status === 401 || status === 403 || status === 404)) {
    return new ApiError("user_not_found", `The user does not exist in this Communication Services resource, or was deleted.${detail}`, { cause: error });
  }
  if (kind === "teams" && (status === 400 || status === 401 || status === 403)) {
    return new ApiError(
      "teams_token_rejected",
      `Azure Communication Services rejected the Teams user's token; check that it is a current Entra ID token for the given client and user.${detail}`,
      { cause: error },
    );
  }
  if (status === 429) {
    const wait = error.response ? retryAfterMs(error.response) : undefined;
    const headers = wait === undefined ? undefined : { "Retry-After": String(Math.ceil(wait / 1000)) };
    return new ApiError("upstream_throttled", `Azure Communication Services is throttling requests; retry later.${detail}`, {
      cause: error,
      ...(headers && { headers }),
    });
  }
  // The service validates everything ACS checks, so an ACS 400 is not the caller's input being wrong (that would be
  // validation_failed, which promises nothing reached ACS): ACS and the service disagree, and the caller cannot fix it.
  if (status === 400) {
    return new ApiError("upstream_unavailable", `Azure Communication Services refused the request as invalid.${detail}`, { cause: error });
  }
  return new ApiError("upstream_unavailable", `Azure Communication Services failed with HTTP ${status}.${detail}`, { cause: error });
}

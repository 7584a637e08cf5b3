// ACS error bodies and the small reply type every handler returns.
// Shape from the REST spec (CommunicationErrorResponse in
// Azure/azure-rest-api-specs specification/communication/data-plane/Common/stable/2022-07-13/common.json):
// { "error": { "code", "message", "target"?, "details"?, "innererror"? } }

export interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
  /**
   * Leave out `api-supported-versions`: the real service does on ASP.NET model-binding answers ("X: The X field is
   * required.") and on the Teams exchange's 401s (Python tests/recordings ...test_get_token_with_no_scopes.json,
   * ...test_get_token_for_teams_user_with_expired_token.json; .NET SessionRecords GetTokenForTeamsUserWithEmptyAppIdShouldThrow.json).
   */
  withoutVersions?: true;
}

export interface AcsErrorBody {
  error: {
    code: string;
    message: string;
    target?: string;
    details?: AcsErrorBody["error"][];
    innererror?: { code: string; innererror?: unknown };
  };
}

export function acsError(status: number, code: string, message: string, target?: string): Reply {
  const error: AcsErrorBody["error"] = target === undefined ? { code, message } : { code, message, target };
  return { status, json: { error } satisfies AcsErrorBody };
}

// HMAC failures (and any other caller-authentication failure). ASSUMPTION: no Identity recording holds a bad
// signature; the code and message are those the service's own mapping expects of ACS (src/emulator/README.md).
export function denied(): Reply {
  return acsError(401, "Denied", "Denied by the resource provider.");
}

// Recorded for an id of no user of the resource (the all-zero id of the JS live tests): azure-sdk-for-js
// sdk/communication/communication-identity recordings/node/ (nock .js recording of "throws an error when attempting
// to revoke a token from an invalid user", 2021; the test asserts 401 for issue and delete too).
// ASSUMPTION: a deleted identity answers the same (nothing recorded says otherwise).
export function identityNotOwned(): Reply {
  return acsError(401, "IdentityNotOwned", "Provided identity doesn't belong to the resource.");
}

/** ASP.NET model binding's answer to a missing or empty required field: the name capitalised, no versions header. */
export function requiredField(name: string): Reply {
  return { ...acsError(400, "ValidationError", `${name}: The ${name} field is required.`, name), withoutVersions: true };
}

export function validationError(message: string, target: string): Reply {
  return acsError(400, "ValidationError", message, target);
}

export function notFound(): Reply {
  return acsError(404, "NotFound", "The requested resource was not found.");
}

// ACS error bodies and the small reply type every handler returns.
// Shape from the REST spec (CommunicationErrorResponse in
// Azure/azure-rest-api-specs specification/communication/data-plane/Common/stable/2022-07-13/common.json):
// { "error": { "code", "message", "target"?, "details"?, "innererror"? } }

export interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
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

// HMAC failures (and any other caller-authentication failure). The body is the one ACS
// returns for a bad signature, as the SDK's recordings show it.
export function denied(): Reply {
  return acsError(401, "Denied", "Denied by the resource provider.");
}

// ASSUMPTION: for an id that is not a user of this resource (never created, deleted, another
// resource's, malformed) the SDK's live tests (azure-sdk-for-js sdk/communication/communication-identity
// test/public/communicationIdentityClient.spec.ts, "for an invalid user") only assert statusCode 401;
// the real code and message are undocumented. The emulator picks `IdentityNotFound` so that a caller
// can tell it apart from `Denied` (a bad signature), which is also 401.
export function identityNotFound(): Reply {
  return acsError(401, "IdentityNotFound", "The identity does not exist or does not belong to this resource.");
}

export function validationError(message: string, target: string): Reply {
  return acsError(400, "ValidationError", message, target);
}

export function notFound(): Reply {
  return acsError(404, "NotFound", "The requested resource was not found.");
}

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The stable error codes of the public API (DESIGN: Errors). Callers branch on `code`, never on `title`. */
const ERRORS = {
  validation_failed: { status: 400, title: "The request is not valid" },
  teams_token_rejected: { status: 400, title: "The Teams user's token was rejected" },
  unauthorized: { status: 401, title: "Missing or wrong credentials" },
  user_not_found: { status: 404, title: "The user does not exist" },
  not_found: { status: 404, title: "No such route" },
  method_not_allowed: { status: 405, title: "The path does not take this method" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The request body must be JSON" },
  upstream_throttled: { status: 429, title: "Azure Communication Services is throttling requests" },
  internal: { status: 500, title: "Internal error" },
  upstream_auth_failed: { status: 502, title: "Azure Communication Services rejected the service's credentials" },
  upstream_unavailable: { status: 502, title: "Azure Communication Services failed" },
  upstream_timeout: { status: 504, title: "Azure Communication Services did not answer in time" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
}

/** Every failure the service answers on purpose is an ApiError; onError turns it into problem+json. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    if (options.errors) this.errors = options.errors;
    if (options.headers) this.headers = options.headers;
  }

  get status(): ContentfulStatusCode {
    return ERRORS[this.code].status;
  }
}

/** A URN rather than a URL: the service has no public home page to point at, and a URN never dangles. */
const problemType = (code: ErrorCode) => `urn:acs-identity-connector:problem:${code}`;

export function problemResponse(c: Context, error: ApiError): Response {
  const body: Problem = {
    type: problemType(error.code),
    title: ERRORS[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId: c.get("requestId") ?? "",
  };
  if (error.errors) body.errors = error.errors;
  c.set("errorCode", error.code);
  const headers = new Headers(error.headers);
  headers.set("Content-Type", "application/problem+json");
  return c.body(JSON.stringify(body), error.status, Object.fromEntries(headers));
}

/**
 * Hono's own exceptions keep their status and get a code. The middleware before the routes answers 413, 415 and
 * malformed JSON itself; these are the validator's own checks, kept as a safety net.
 */
function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      return new ApiError("validation_failed", error.message || "The request is not valid.");
    case 415:
      return new ApiError("unsupported_media_type", "Send the request body as application/json.");
    default:
      return new ApiError("internal", "The service failed to handle the request.", { cause: error });
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) return fromHttpException(error);
  return new ApiError("internal", "The service failed to handle the request.", { cause: error });
}

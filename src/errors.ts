import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { answer } from "./response-headers.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The stable error codes of the public API (README: "Errors"). Callers branch on `code`, never on `title`. `when`
 * and `note` describe the code in the OpenAPI document's error responses (see errorResponses); `example` is a detail
 * the service writes for it, shown on /docs.
 */
const ERRORS = {
  validation_failed: {
    status: 400,
    title: "The request is not valid",
    when: "The request is not valid",
    note: "Nothing was sent to ACS.",
    example: "The request is not valid. scopes[0]: Must be one of chat, voip, chat.join, chat.join.limited, voip.join.",
  },
  teams_token_rejected: {
    status: 400,
    title: "The Teams user's token was rejected",
    when: "ACS rejected the Teams user's token",
    example: "Azure Communication Services rejected the Teams user's token; check that it is a current Entra ID token for the given client and user.",
  },
  unauthorized: {
    status: 401,
    title: "Missing or wrong credentials",
    when: "The API key or bearer token is missing or wrong",
    example: "The X-API-Key header holds a key this service does not accept.",
  },
  user_not_found: {
    status: 404,
    title: "The user does not exist",
    when: "The user does not exist in this ACS resource, or was deleted",
    example: "The user does not exist in this Communication Services resource, or was deleted.",
  },
  not_found: {
    status: 404,
    title: "No such route",
    when: "No route matches the method and path",
    example: "No route matches this method and path (paths are case-sensitive, without a trailing slash); /openapi.json lists the routes.",
  },
  method_not_allowed: {
    status: 405,
    title: "The path does not take this method",
    when: "The path does not take this method",
    example: "This path does not take GET; it takes POST (the Allow header lists them, /openapi.json describes them).",
  },
  payload_too_large: {
    status: 413,
    title: "The request body is too large",
    when: "The request body is larger than 16 KiB",
    example: "The request body is larger than 16 KiB.",
  },
  unsupported_media_type: {
    status: 415,
    title: "The request body must be JSON",
    when: "The request body is not application/json",
    example: "Send the request body as application/json, not text/plain.",
  },
  upstream_throttled: {
    status: 429,
    title: "Azure Communication Services is throttling requests",
    when: "ACS is throttling requests",
    note: "Retry after the Retry-After header's seconds.",
    example: "Azure Communication Services is throttling requests; retry later.",
  },
  rate_limited: {
    status: 429,
    title: "This caller went over its rate limit",
    when: "This caller went over its own rate limit",
    note: "Nothing was sent to ACS; retry after the Retry-After header's seconds.",
    example: "This caller (flows-prod) went over its limit of 100 requests per minute; retry after 42 seconds. Nothing was sent to ACS.",
  },
  internal: { status: 500, title: "Internal error", when: "An unexpected error in the service", example: "The service failed to handle the request." },
  upstream_auth_failed: {
    status: 502,
    title: "Azure Communication Services rejected the service's credentials",
    when: "ACS rejected the service's credentials",
    example: "Azure Communication Services rejected the service's own credentials; check its ACS configuration.",
  },
  upstream_unavailable: {
    status: 502,
    title: "Azure Communication Services failed",
    when: "ACS failed",
    example: "Azure Communication Services failed with HTTP 503.",
  },
  upstream_timeout: {
    status: 504,
    title: "Azure Communication Services did not answer in time",
    when: "ACS did not answer within the service's deadline",
    example: "Azure Communication Services did not answer within 15000 ms.",
  },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string; when: string; note?: string; example: string }>;

export type ErrorCode = keyof typeof ERRORS;
const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

const FieldErrorSchema = z
  .object({
    path: z.string().openapi({ description: "Where the problem is: a body field, or a path parameter.", "x-ms-summary": "Field" }),
    message: z.string().openapi({ description: "What is wrong with it.", "x-ms-summary": "Message" }),
  })
  .openapi("FieldError");

/** RFC 9457 problem details, the body of every error. */
const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: "A URI that names the kind of problem.", "x-ms-summary": "Type" }),
    title: z.string().openapi({ description: "A short summary of the kind of problem.", "x-ms-summary": "Title" }),
    status: z.number().int().openapi({ description: "The HTTP status code.", "x-ms-summary": "Status" }),
    detail: z.string().openapi({ description: "What went wrong in this request and what to do about it.", "x-ms-summary": "Detail" }),
    code: z.enum(ERROR_CODES).openapi({ description: "A stable, machine-readable error code.", "x-ms-summary": "Error Code" }),
    requestId: z.string().openapi({ description: "The request id, also in the x-ms-client-request-id header.", "x-ms-summary": "Request ID" }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: "The fields that failed validation.", "x-ms-summary": "Field Errors" }),
  })
  .openapi("Problem");

export type FieldError = z.infer<typeof FieldErrorSchema>;
export type Problem = z.infer<typeof ProblemSchema>;

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

/** An answer with this code as the service writes it, for the API reference's examples. */
function problemExample(code: ErrorCode): Problem {
  const { status, title, example } = ERRORS[code];
  const errors =
    code === "validation_failed" ? [{ path: "scopes[0]", message: "Must be one of chat, voip, chat.join, chat.join.limited, voip.join." }] : undefined;
  return { type: problemType(code), title, status, detail: example, code, requestId: "0f8fad5b-d9cb-469f-a165-70867728950e", ...(errors && { errors }) };
}

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
  return answer(c, JSON.stringify(body), error.status, "application/problem+json", error.headers);
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

/** Headers an error answer carries, documented on the responses of the codes that send them. */
type HeaderDoc = { description: string; schema: { type: "integer" | "string" }; "x-ms-summary": string };
const RETRY_AFTER: HeaderDoc = { description: "How many seconds to wait before retrying.", schema: { type: "integer" }, "x-ms-summary": "Retry After" };
const ERROR_HEADERS: Partial<Record<ErrorCode, Record<string, HeaderDoc>>> = {
  upstream_throttled: { "Retry-After": RETRY_AFTER },
  rate_limited: {
    "Retry-After": RETRY_AFTER,
    "RateLimit-Policy": {
      description: "When the service has a rate limit: the caller's limit, as requests (q) per window of seconds (w).",
      schema: { type: "string" },
      "x-ms-summary": "Rate Limit Policy",
    },
    RateLimit: {
      description: "When the service has a rate limit: the requests left (r) and the seconds until the caller's window starts afresh (t).",
      schema: { type: "string" },
      "x-ms-summary": "Rate Limit",
    },
  },
};

/** Every authenticated route can answer these: credentials (401), the caller's rate limit (429), a failure of the service itself (500). */
export const CALLER_ERRORS = ["unauthorized", "rate_limited", "internal"] as const satisfies readonly ErrorCode[];
/** Every action can answer these: validation (400) and the caller's. */
export const ACTION_ERRORS = ["validation_failed", ...CALLER_ERRORS] as const satisfies readonly ErrorCode[];
/** Only the POST actions read a body; the DELETE actions ignore one, so these never apply to them. */
export const BODY_ERRORS = ["payload_too_large", "unsupported_media_type"] as const satisfies readonly ErrorCode[];
/** What a call to ACS can end in, whatever the action. */
export const ACS_ERRORS = ["upstream_throttled", "upstream_auth_failed", "upstream_unavailable", "upstream_timeout"] as const satisfies readonly ErrorCode[];

/**
 * One status's description: each code's `when` with the code, as alternatives. A code's note is added only when it is
 * alone at its status, where the note cannot be read as applying to another code.
 */
function describe(codes: readonly ErrorCode[]): string {
  const alternatives = `${codes.map((code) => `${ERRORS[code].when} (${code})`).join(", or ")}.`;
  const only = codes.length === 1 ? (ERRORS[codes[0]!] as { note?: string }) : {};
  return only.note ? `${alternatives} ${only.note}` : alternatives;
}

/**
 * A route's error responses from the codes it can answer: one response per status, described from the table, with
 * the problem+json body, the headers those codes send, and an example of the last code at that status (routes list the
 * shared codes first and their own after, so the example is the most specific one).
 */
export function errorResponses(...codes: readonly ErrorCode[]) {
  const byStatus = new Map<ContentfulStatusCode, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => {
      const headers = Object.assign({}, ...statusCodes.map((code) => ERROR_HEADERS[code]));
      const response = {
        description: describe(statusCodes),
        content: {
          "application/problem+json": {
            // The Problem schema with `code` narrowed to what this route answers at this status.
            schema: ProblemSchema.extend({
              code: z
                .enum(statusCodes as [ErrorCode, ...ErrorCode[]])
                .openapi({ description: "A stable, machine-readable error code.", "x-ms-summary": "Error Code" }),
            }),
            example: problemExample(statusCodes.at(-1)!),
          },
        },
        ...(Object.keys(headers).length > 0 && { headers }),
      };
      return [status, response];
    }),
  );
}

import { z } from "@hono/zod-openapi";
import { ERROR_CODES } from "./errors.ts";
import { GUID_SOURCE } from "./guid.ts";

/**
 * Shared schemas. The x-ms-* keys are Power Platform's annotations: they travel through OpenAPI into the Swagger 2.0
 * connector definition, so a maker sees the same labels the developer reads here.
 */


/** `8:acs:<resource GUID>_<identity suffix>`; also the sovereign clouds and the legacy `spool` prefix. */
const USER_ID_PATTERN = `^8:(?:acs|gcch-acs|dod-acs|spool):${GUID_SOURCE}_[0-9a-fA-F-]{8,64}$`;

export const UserId = z
  .string()
  .regex(new RegExp(USER_ID_PATTERN), "Must be an ACS user id such as 8:acs:<resource id>_<user id>.")
  .openapi({
    description: "The ACS communication user id, as returned by Create a user.",
    example: "8:acs:4ccc92c8-9815-4422-bddc-ceea181dc774_00000006-19e0-2727-80f5-8b3a0d003502",
    "x-ms-summary": "User ID",
  });

export const UserIdParams = z.object({
  userId: UserId.openapi({
    param: {
      name: "userId",
      in: "path",
      required: true,
      description: "The ACS communication user id, as returned by Create a user.",
      "x-ms-summary": "User ID",
      "x-ms-visibility": "important",
      "x-ms-url-encoding": "single",
    },
  }),
});

export const SCOPES = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"] as const;

const scopeList = SCOPES.join(", ");

/** A scope in the wrong case (`Chat`, `VOIP`) is the likeliest slip: name the spelling that works. */
function scopeError(issue: { input?: unknown }): string {
  const known = typeof issue.input === "string" ? SCOPES.find((scope) => scope === (issue.input as string).toLowerCase()) : undefined;
  return known ? `Scopes are lower case: send "${known}".` : `Must be one of ${scopeList}.`;
}

export const Scope = z.enum(SCOPES, { error: scopeError }).openapi({
  description: "What the token allows: chat, voip (calls), or joining an existing chat or call only.",
  "x-ms-summary": "Scope",
  "x-ms-enum-values": [
    { value: "chat", displayName: "Chat" },
    { value: "voip", displayName: "Calls (VoIP)" },
    { value: "chat.join", displayName: "Join a chat" },
    { value: "chat.join.limited", displayName: "Join a chat (limited)" },
    { value: "voip.join", displayName: "Join a call" },
  ],
});

export const Scopes = z
  .array(Scope, { error: (issue) => (issue.input === undefined ? "Scopes are required: give at least one." : "Must be a list of scopes.") })
  .min(1, "Give at least one scope.")
  .refine((scopes) => new Set(scopes).size === scopes.length, "Each scope may be given only once.")
  .openapi({
    description: `One or more token scopes, each at most once: ${scopeList}.`,
    uniqueItems: true,
    "x-ms-summary": "Scopes",
  });

/** A string such as "60" is what a form or a flow's text field sends: say that a JSON number is wanted. */
function expiresInMinutesError(issue: { input?: unknown }): string {
  if (typeof issue.input !== "string") return "Must be a whole number of minutes.";
  // Only a short run of digits is repeated back; anything else the caller sent stays out of the answer.
  const digits = /^\d{1,4}$/.test(issue.input) ? issue.input : "60";
  return `Must be a JSON number, not a string: send ${digits}, not "${digits}".`;
}

export const ExpiresInMinutes = z
  .number({ error: expiresInMinutesError })
  .int("Must be a whole number of minutes.")
  .min(60, "Must be at least 60 minutes.")
  .max(1440, "Must be at most 1440 minutes (24 hours).")
  .openapi({
    description: "How long the token is valid, in minutes: 60 to 1440. Left out, ACS's default of 1440 (24 hours) applies.",
    "x-ms-summary": "Token Lifetime in Minutes",
    "x-ms-visibility": "advanced",
  });

export const Token = z.string().openapi({
  description: "The ACS user access token (a JWT) to hand to the ACS Chat or Calling SDK.",
  "x-ms-summary": "Access Token",
});

export const ExpiresOn = z.string().openapi({
  format: "date-time",
  description: "When the token expires, as an ISO 8601 UTC date-time.",
  example: "2026-11-26T09:00:00.000Z",
  "x-ms-summary": "Expires On",
});

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
    code: z.enum(ERROR_CODES as [string, ...string[]]).openapi({ description: "A stable, machine-readable error code.", "x-ms-summary": "Error Code" }),
    requestId: z.string().openapi({ description: "The request id, also in the x-ms-client-request-id header.", "x-ms-summary": "Request ID" }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: "The fields that failed validation.", "x-ms-summary": "Field Errors" }),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/**
 * The error responses every action can give; routes add their own (404, 400 teams_token_rejected) where they apply,
 * and the actions that take a body add bodyErrorResponses.
 */
export const commonErrorResponses = {
  400: problem("The request is not valid (validation_failed). Nothing was sent to ACS."),
  401: problem("The API key or bearer token is missing or wrong (unauthorized)."),
  429: {
    ...problem("ACS is throttling requests (upstream_throttled); retry after the Retry-After header's seconds."),
    headers: {
      "Retry-After": { description: "How many seconds to wait before retrying.", schema: { type: "integer" }, "x-ms-summary": "Retry After" },
    },
  },
  500: problem("An unexpected error in the service (internal)."),
  502: problem("ACS rejected the service's credentials (upstream_auth_failed) or failed (upstream_unavailable)."),
  504: problem("ACS did not answer within the service's deadline (upstream_timeout)."),
} as const;

/** Only the POST actions read a body; the DELETE actions ignore one, so these never apply to them. */
export const bodyErrorResponses = {
  413: problem("The request body is larger than 16 KiB (payload_too_large)."),
  415: problem("The request body is not application/json (unsupported_media_type)."),
} as const;

export const userNotFoundResponse = { 404: problem("The user does not exist in this ACS resource, or was deleted (user_not_found).") } as const;
export const teamsRejectedResponse = problem(
  "The request is not valid (validation_failed), or ACS rejected the Teams user's token (teams_token_rejected).",
);

/**
 * A JSON request body. The x-ms-summary labels the body parameter in the Swagger 2.0 connector definition;
 * @hono/zod-openapi carries the request body's extra keys into the OpenAPI document as they are.
 */
export function jsonRequestBody<T extends z.ZodType>(schema: T, label: { required: boolean; summary: string; description: string }) {
  return {
    required: label.required,
    description: label.description,
    "x-ms-summary": label.summary,
    content: { "application/json": { schema } },
  };
}

import { z } from "@hono/zod-openapi";
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

export const Scope = z.enum(SCOPES, { error: () => `Must be one of ${scopeList}.` }).openapi({
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

export const ExpiresInMinutes = z
  .number({ error: "Must be a whole number of minutes." })
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

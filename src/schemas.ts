import { z } from "@hono/zod-openapi";
import { GUID_SOURCE } from "./guid.ts";

/**
 * Shared schemas. The x-ms-* keys are Power Platform's annotations: they travel through OpenAPI into the Swagger 2.0
 * connector definition, so a maker sees the same labels the developer reads here.
 */

/** `8:acs:<resource GUID>_<identity suffix>`; also the sovereign clouds and the legacy `spool` prefix. */
const USER_ID_PATTERN = `^8:(?:acs|gcch-acs|dod-acs|spool):${GUID_SOURCE}_[0-9a-fA-F-]{8,64}$`;

export const UserId = z.string().regex(new RegExp(USER_ID_PATTERN), "Must be an ACS user id such as 8:acs:<resource id>_<user id>.").openapi({
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

/**
 * The token scopes, each with what makers read when they pick one: ListScopes serves this list, and the designer fills
 * the scope choices from it (see the Scope schema's x-ms-dynamic-values). Descriptions follow ACS's identity model.
 */
export const SCOPE_CHOICES = [
  { name: "chat", displayName: "Chat", description: "Use chat: create, join and manage chat threads and send messages." },
  { name: "voip", displayName: "Calls (VoIP)", description: "Use calling: start and join voice and video calls." },
  { name: "chat.join", displayName: "Join a chat", description: "Take part in existing chats, without creating, deleting or updating chat threads." },
  { name: "chat.join.limited", displayName: "Join a chat (limited)", description: "Like Join a chat, and without adding or removing participants." },
  { name: "voip.join", displayName: "Join a call", description: "Join existing calls, without starting new ones." },
] as const;

export const SCOPES = SCOPE_CHOICES.map((choice) => choice.name) as [(typeof SCOPE_CHOICES)[number]["name"], ...(typeof SCOPE_CHOICES)[number]["name"][]];

const scopeList = SCOPES.join(", ");

/** A scope in the wrong case (`Chat`, `VOIP`) is the likeliest slip: name the spelling that works. */
function scopeError(issue: { input?: unknown }): string {
  const known = typeof issue.input === "string" ? SCOPES.find((scope) => scope === (issue.input as string).toLowerCase()) : undefined;
  return known ? `Scopes are lower case: send "${known}".` : `Must be one of ${scopeList}.`;
}

/**
 * Makers pick scopes from a list in the designer, by display name. Microsoft's designer gives an array the array
 * editor, whose items never read x-ms-enum-values: each item is a combobox whose choices, with display names, come
 * from the items' x-ms-dynamic-values, here ListScopes (the README's connector section names the designer's code).
 * The enum stays: it validates, and clients other than the designer read it.
 */
export const Scope = z.enum(SCOPES, { error: scopeError }).openapi({
  description: "What the token allows: chat, voip (calls), or joining an existing chat or call only.",
  "x-ms-summary": "Scope",
  "x-ms-dynamic-values": { operationId: "ListScopes", "value-collection": "value", "value-path": "name", "value-title": "displayName" },
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

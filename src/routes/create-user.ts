import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { ACS_ERRORS, ACTION_ERRORS, BODY_ERRORS, errorResponses } from "../errors.ts";
import { ExpiresInMinutes, ExpiresOn, jsonRequestBody, Scopes, Token, UserId } from "../schemas.ts";
import { answerJson } from "../response-headers.ts";

const CreateUserBody = z
  .strictObject({
    scopes: Scopes.optional(),
    expiresInMinutes: ExpiresInMinutes.optional(),
  })
  .refine((body) => body.expiresInMinutes === undefined || body.scopes !== undefined, {
    path: ["expiresInMinutes"],
    message: "Give scopes too: an expiry only applies to a token, and no token is issued without scopes.",
  })
  .openapi("CreateUserRequest", { description: "Leave both out to create a user only; give scopes to also get a token." });

const CreatedUser = z
  .object({
    userId: UserId,
    token: Token.optional().openapi({ description: "The user's access token; only when scopes were given." }),
    expiresOn: ExpiresOn.optional().openapi({ description: "When the token expires (ISO 8601 UTC); only when scopes were given." }),
  })
  .openapi("CreatedUser");

export const createUserRoute = createRoute({
  method: "post",
  path: "/v1/users",
  operationId: "CreateUser",
  summary: "Create a user",
  description: "Creates a new ACS communication user and, when scopes are given, issues the user's first access token.",
  tags: ["Users"],
  "x-ms-visibility": "important",
  request: {
    body: jsonRequestBody(CreateUserBody, {
      required: false,
      summary: "Token Request",
      description: "Optional: scopes (and a lifetime) to issue a token at once.",
    }),
  },
  responses: {
    201: { description: "The user was created.", content: { "application/json": { schema: CreatedUser } } },
    ...errorResponses(...ACTION_ERRORS, ...BODY_ERRORS, ...ACS_ERRORS),
  },
});

export function registerCreateUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(createUserRoute, async (c) => {
    const { identity } = c.get("services");
    const { scopes, expiresInMinutes } = c.req.valid("json") ?? {};
    if (!scopes) {
      const user = await callAcs(c, "create", (options) => identity.createUser(options));
      c.set("userId", user.communicationUserId);
      return answerJson(c, { userId: user.communicationUserId }, 201);
    }
    const created = await callAcs(c, "create", (options) =>
      identity.createUserAndToken(scopes, { ...options, ...(expiresInMinutes !== undefined && { tokenExpiresInMinutes: expiresInMinutes }) }),
    );
    c.set("userId", created.user.communicationUserId);
    return answerJson(c, { userId: created.user.communicationUserId, token: created.token, expiresOn: created.expiresOn.toISOString() }, 201);
  });
}

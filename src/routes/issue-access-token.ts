import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { ACS_ERRORS, ACTION_ERRORS, BODY_ERRORS, errorResponses } from "../errors.ts";
import { ExpiresInMinutes, ExpiresOn, jsonRequestBody, Scopes, Token, UserId, UserIdParams } from "../schemas.ts";
import { answerJson } from "../response-headers.ts";

const IssueTokenBody = z
  .strictObject({
    scopes: Scopes,
    expiresInMinutes: ExpiresInMinutes.optional(),
  })
  .openapi("IssueAccessTokenRequest");

const IssuedToken = z
  .object({
    userId: UserId,
    token: Token,
    expiresOn: ExpiresOn,
  })
  .openapi("IssuedToken");

export const issueAccessTokenRoute = createRoute({
  method: "post",
  path: "/v1/users/{userId}/tokens",
  operationId: "IssueAccessToken",
  summary: "Issue a user access token",
  description: "Issues a new access token with the given scopes for an existing ACS user; earlier tokens stay valid.",
  tags: ["Tokens"],
  "x-ms-visibility": "important",
  request: {
    params: UserIdParams,
    body: jsonRequestBody(IssueTokenBody, { required: true, summary: "Token Request", description: "The scopes of the token and, optionally, its lifetime." }),
  },
  responses: {
    200: { description: "The token was issued.", content: { "application/json": { schema: IssuedToken } } },
    ...errorResponses(...ACTION_ERRORS, ...BODY_ERRORS, "user_not_found", ...ACS_ERRORS),
  },
});

export function registerIssueAccessToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(issueAccessTokenRoute, async (c) => {
    const { identity } = c.get("services");
    const { userId } = c.req.valid("param");
    c.set("userId", userId);
    const { scopes, expiresInMinutes } = c.req.valid("json");
    const issued = await callAcs(c, "user", (options) =>
      identity.getToken({ communicationUserId: userId }, scopes, {
        ...options,
        ...(expiresInMinutes !== undefined && { tokenExpiresInMinutes: expiresInMinutes }),
      }),
    );
    return answerJson(c, { userId, token: issued.token, expiresOn: issued.expiresOn.toISOString() }, 200);
  });
}

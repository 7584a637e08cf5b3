import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { ACS_ERRORS, ACTION_ERRORS, errorResponses } from "../errors.ts";
import { UserIdParams } from "../schemas.ts";
import { answer } from "../response-headers.ts";

export const revokeAccessTokensRoute = createRoute({
  method: "delete",
  path: "/v1/users/{userId}/tokens",
  operationId: "RevokeAccessTokens",
  summary: "Revoke user access tokens",
  description: "Revokes every access token issued to the user so far; the user stays and can be issued new tokens.",
  tags: ["Tokens"],
  "x-ms-visibility": "advanced",
  request: { params: UserIdParams },
  responses: {
    204: { description: "The user's tokens were revoked." },
    ...errorResponses(...ACTION_ERRORS, "user_not_found", ...ACS_ERRORS),
  },
});

export function registerRevokeAccessTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(revokeAccessTokensRoute, async (c) => {
    const { identity } = c.get("services");
    const { userId } = c.req.valid("param");
    c.set("userId", userId);
    await callAcs(c, "user", (options) => identity.revokeTokens({ communicationUserId: userId }, options));
    return answer(c, null, 204);
  });
}

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { ACS_ERRORS, ACTION_ERRORS, errorResponses } from "../errors.ts";
import { UserIdParams } from "../schemas.ts";
import { answer } from "../response-headers.ts";

export const deleteUserRoute = createRoute({
  method: "delete",
  path: "/v1/users/{userId}",
  operationId: "DeleteUser",
  summary: "Delete a user",
  description: "Deletes the ACS user and revokes all of its tokens; the user id cannot be used again.",
  tags: ["Users"],
  "x-ms-visibility": "advanced",
  request: { params: UserIdParams },
  responses: {
    204: { description: "The user was deleted." },
    ...errorResponses(...ACTION_ERRORS, "user_not_found", ...ACS_ERRORS),
  },
});

export function registerDeleteUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(deleteUserRoute, async (c) => {
    const { identity } = c.get("services");
    const { userId } = c.req.valid("param");
    c.set("userId", userId);
    await callAcs(c, "user", (options) => identity.deleteUser({ communicationUserId: userId }, options));
    return answer(c, null, 204);
  });
}

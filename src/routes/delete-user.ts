import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { commonErrorResponses, UserIdParams, userNotFoundResponse } from "../schemas.ts";

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
    ...commonErrorResponses,
    ...userNotFoundResponse,
  },
});

export function registerDeleteUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(deleteUserRoute, async (c) => {
    const { identity } = c.get("services");
    const { userId } = c.req.valid("param");
    await callAcs(c, "user", (options) => identity.deleteUser({ communicationUserId: userId }, options));
    return c.body(null, 204);
  });
}

import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { CALLER_ERRORS, errorResponses } from "../errors.ts";
import { answerJson } from "../response-headers.ts";

const ConnectionStatus = z
  .object({
    status: z.literal("ok").openapi({ description: "Always ok: the credentials were accepted.", "x-ms-summary": "Status" }),
    caller: z.string().openapi({ description: "Who the service took the caller for: the API key's name, or the Entra ID app.", "x-ms-summary": "Caller" }),
  })
  .openapi("ConnectionStatus");

/**
 * GET /v1/connection: the connector's test connection (x-ms-capabilities.testConnection), so a wrong key or token
 * fails when a maker creates the connection, not in the middle of a flow. Authentication is the whole test; it never
 * reaches ACS. Internal: makers never see it as an action.
 */
export const testConnectionRoute = createRoute({
  method: "get",
  path: "/v1/connection",
  operationId: "TestConnection",
  summary: "Test the connection",
  description: "Checks the connection's API key or token, and names the caller the service took it for.",
  tags: ["Connection"],
  "x-ms-visibility": "internal",
  responses: {
    200: { description: "The credentials were accepted.", content: { "application/json": { schema: ConnectionStatus } } },
    ...errorResponses(...CALLER_ERRORS),
  },
});

export function registerTestConnection(app: OpenAPIHono<AppEnv>) {
  app.openapi(testConnectionRoute, (c) => answerJson(c, { status: "ok" as const, caller: c.get("caller") }, 200));
}

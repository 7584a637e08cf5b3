import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { CALLER_ERRORS, errorResponses } from "../errors.ts";
import { SCOPE_CHOICES } from "../schemas.ts";
import { answerJson } from "../response-headers.ts";

const ScopeChoice = z
  .object({
    name: z.string().openapi({ description: "The scope as the actions take it, e.g. chat.join.", "x-ms-summary": "Name" }),
    displayName: z.string().openapi({ description: "The scope as makers read it in the designer's list.", "x-ms-summary": "Display Name" }),
    description: z.string().openapi({ description: "What a token with this scope allows.", "x-ms-summary": "Description" }),
  })
  .openapi("ScopeChoice");

const ScopeList = z
  .object({ value: z.array(ScopeChoice).openapi({ description: "Every token scope, in the order the designer lists them.", "x-ms-summary": "Scopes" }) })
  .openapi("ScopeList");

/**
 * GET /v1/scopes: the list the designer fills the scope choices from (the Scope schema's x-ms-dynamic-values). Internal:
 * makers never see it as an action. Authenticated like every /v1 route, since the designer calls it through the connection.
 */
export const listScopesRoute = createRoute({
  method: "get",
  path: "/v1/scopes",
  operationId: "ListScopes",
  summary: "List token scopes",
  description: "Lists the token scopes with their display names, for the designer's scope choices.",
  tags: ["Tokens"],
  "x-ms-visibility": "internal",
  responses: {
    200: { description: "The token scopes.", content: { "application/json": { schema: ScopeList } } },
    ...errorResponses(...CALLER_ERRORS),
  },
});

const answer = { value: SCOPE_CHOICES.map((choice) => ({ ...choice })) };

export function registerListScopes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listScopesRoute, (c) => answerJson(c, answer, 200));
}

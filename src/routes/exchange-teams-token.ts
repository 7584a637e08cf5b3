import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { callAcs } from "../acs/call.ts";
import { GUID } from "../guid.ts";
import { ACS_ERRORS, ACTION_ERRORS, BODY_ERRORS, errorResponses } from "../errors.ts";
import { ExpiresOn, jsonRequestBody, Token } from "../schemas.ts";
import { answerJson } from "../response-headers.ts";

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const ExchangeBody = z
  .strictObject({
    teamsUserAadToken: z
      .string({ error: "Required: the Teams user's Entra ID access token." })
      .max(8192, "Must be at most 8192 characters.")
      .regex(JWT, "Must be a JWT (three dot-separated parts).")
      .openapi({
        description: "The Teams user's Microsoft Entra ID access token for the Teams.ManageCalls and Teams.ManageChats permissions.",
        "x-ms-summary": "Teams User Entra ID Token",
      }),
    clientId: z.string({ error: "Required: the Entra ID application (client) id." }).regex(GUID, "Must be a GUID.").openapi({
      description: "The application (client) id of the Entra ID app that obtained the Teams user's token; must match the token's appid.",
      "x-ms-summary": "Client ID",
    }),
    userObjectId: z.string({ error: "Required: the Teams user's object id." }).regex(GUID, "Must be a GUID.").openapi({
      description: "The Teams user's Entra ID object id; must match the token's oid.",
      "x-ms-summary": "User Object ID",
    }),
  })
  .openapi("ExchangeTeamsTokenRequest");

const ExchangedToken = z
  .object({
    token: Token.openapi({ description: "An ACS access token for the Teams user, to use with the ACS Calling or Chat SDK." }),
    expiresOn: ExpiresOn,
  })
  .openapi("ExchangedToken");

export const exchangeTeamsTokenRoute = createRoute({
  method: "post",
  path: "/v1/teams/tokens",
  operationId: "ExchangeTeamsToken",
  summary: "Exchange a Teams user token",
  description: "Exchanges a Teams user's Microsoft Entra ID token for an ACS access token that acts as that Teams user.",
  tags: ["Teams"],
  "x-ms-visibility": "important",
  request: {
    body: jsonRequestBody(ExchangeBody, { required: true, summary: "Teams Token", description: "The Teams user's token and the ids it was issued for." }),
  },
  responses: {
    200: { description: "The token was exchanged.", content: { "application/json": { schema: ExchangedToken } } },
    ...errorResponses(...ACTION_ERRORS, "teams_token_rejected", ...BODY_ERRORS, ...ACS_ERRORS),
  },
});

export function registerExchangeTeamsToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(exchangeTeamsTokenRoute, async (c) => {
    const { identity } = c.get("services");
    const body = c.req.valid("json");
    c.set("teamsUserId", body.userObjectId);
    const exchanged = await callAcs(c, "teams", (options) => identity.getTokenForTeamsUser({ ...body, ...options }));
    return answerJson(c, { token: exchanged.token, expiresOn: exchanged.expiresOn.toISOString() }, 200);
  });
}

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";
import { testConnectionRoute } from "./routes/test-connection.ts";

export const API_VERSION = "1.0.0";

/** The document's info block: what a developer reads at /docs and a maker sees when importing the connector. */
export const apiInfo = {
  title: "Communication Identities",
  version: API_VERSION,
  description:
    "Create Azure Communication Services users, issue and revoke their access tokens, delete them, and exchange a Teams user's token, " +
    "without handing the resource's connection string to anyone.",
};

/** Which caller credentials this instance accepts: the document declares exactly those, as alternatives. */
export interface SecurityOptions {
  apiKey: boolean;
  entra?: { tenantId: string; audience: string };
}

export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>, options: SecurityOptions) {
  if (options.apiKey) {
    app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", {
      type: "apiKey",
      in: "header",
      name: "X-API-Key",
      description: "One of the keys in the service's API_KEYS setting; the service's operator hands them out.",
    });
  }
  if (options.entra) {
    // OAuth 2.0 with the tenant's endpoints rather than a bare http bearer: it is how Power Platform's Entra ID
    // identity provider gets the token, and Swagger 2.0 (the connector format) has no http bearer scheme. The service
    // itself accepts any valid token of the tenant for the audience, whichever flow obtained it.
    const { tenantId, audience } = options.entra;
    const endpoints = `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0`;
    app.openAPIRegistry.registerComponent("securitySchemes", "Entra", {
      type: "oauth2",
      description: `A Microsoft Entra ID access token (Authorization: Bearer) of tenant ${tenantId} for the audience ${audience}; apps get one with the client credentials flow.`,
      flows: {
        authorizationCode: {
          authorizationUrl: `${endpoints}/authorize`,
          tokenUrl: `${endpoints}/token`,
          scopes: { [`${audience.replace(/\/+$/, "")}/.default`]: "Call the service with the permissions granted to the app." },
        },
      },
    });
  }
}

/**
 * Builds the OpenAPI 3.1 document from the registered routes. createApp calls it once, when the document is first asked
 * for: an `app.openapi()` route registered after createApp returns would be missed by the log line's action names.
 */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, options: SecurityOptions) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: apiInfo,
    security: [...(options.apiKey ? [{ ApiKey: [] }] : []), ...(options.entra ? [{ Entra: [] }] : [])],
    tags: [
      { name: "Users", description: "Create and delete ACS users." },
      { name: "Tokens", description: "Issue and revoke users' access tokens." },
      { name: "Teams", description: "Exchange Teams users' tokens." },
      { name: "Connection", description: "Check the caller's credentials." },
    ],
    // Power Platform calls this operation when a maker creates a connection, so a wrong key fails there.
    "x-ms-capabilities": { testConnection: { operationId: testConnectionRoute.operationId, parameters: {} } },
  });
}

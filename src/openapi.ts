import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";

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
      description: "One of the keys in the service's API_KEYS setting.",
    });
  }
  if (options.entra) {
    app.openAPIRegistry.registerComponent("securitySchemes", "Entra", {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: `A Microsoft Entra ID access token of tenant ${options.entra.tenantId} for the audience ${options.entra.audience}.`,
    });
  }
}

/** Builds the OpenAPI 3.1 document from the registered routes. Call once: the routes do not change after start. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, options: SecurityOptions) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: apiInfo,
    security: [...(options.apiKey ? [{ ApiKey: [] }] : []), ...(options.entra ? [{ Entra: [] }] : [])],
    tags: [
      { name: "Users", description: "Create and delete ACS users." },
      { name: "Tokens", description: "Issue and revoke users' access tokens." },
      { name: "Teams", description: "Exchange Teams users' tokens." },
    ],
  });
}

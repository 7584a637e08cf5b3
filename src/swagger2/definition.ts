import { METHODS, toSwagger2 } from "./convert.ts";
import { validBasePath, validHost } from "./host.ts";
import type { OpenApiDocument, Swagger2Document, Swagger2Operation, Swagger2PathItem, Swagger2SecurityScheme } from "./types.ts";

/**
 * The Power Platform layer over the Swagger 2.0 conversion: the connector definition that Power Automate, Power Apps
 * and Logic Apps import. Everything about the operations comes from the routes; this adds what a connector needs
 * besides (host, base path, https, the connection's security, `info.contact` and `x-ms-connector-metadata`) and takes
 * away what Microsoft's validator refuses (error responses' schemas and examples; media types but application/json).
 */

/** The committed files' host; `npm run connector -- --host` and GET /swagger.json put the real one in. */
export const PLACEHOLDER_HOST = "acs-identity-connector.example.com";

/**
 * How a maker's connection authenticates: with an API key of the service, or by signing in with Microsoft Entra ID
 * (OAuth 2.0, Power Platform's Azure Active Directory identity provider). Each has its own security definition here
 * and its own connection parameter in apiProperties.json.
 */
export type ConnectorAuth = "api-key" | "entra";

/**
 * Who publishes the connector and supports it: the definition's info.contact and the Website and Privacy policy of its
 * x-ms-connector-metadata, and apiProperties.json's publisher and stackOwner. The service keeps no data of its own (the
 * identities and tokens live in the operator's ACS resource), so these are the operator's pages, not the project's.
 */
export interface ConnectorPublisher {
  /** The organisation that publishes the connector and runs the service (apiProperties.json's publisher and stackOwner). */
  name: string;
  /** The support team's name, website and email (info.contact). */
  contactName: string;
  contactEmail: string;
  website: string;
  privacyPolicy: string;
}

/**
 * The committed files' publisher: placeholders under the reserved example.com domain (RFC 2606), like the host, never
 * anyone's real pages; `npm run connector -- --publisher --contact-name --contact-email --website --privacy-policy`
 * puts the operator's in.
 */
export const PLACEHOLDER_PUBLISHER: ConnectorPublisher = {
  name: "Your Organization",
  contactName: "Your support team",
  contactEmail: "support@acs-identity-connector.example.com",
  website: "https://acs-identity-connector.example.com/",
  privacyPolicy: "https://acs-identity-connector.example.com/privacy",
};

export interface ConnectorOptions {
  host?: string;
  basePath?: string;
  auth?: ConnectorAuth;
  publisher?: ConnectorPublisher;
}

/** The only media type Power Platform's Swagger validator knows for JSON (rule MimeTypeNotValid); errors are still sent as problem+json. */
const JSON_MEDIA_TYPE = "application/json";

/**
 * What Power Platform's designer reads of an operation: the success response's schema alone (rule
 * OperationHasManyResponsesWithSchema), so error responses keep their description and headers and lose their schema
 * and examples; application/json as the one media type.
 */
function connectorOperation(operation: Swagger2Operation): Swagger2Operation {
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => {
      if (status.startsWith("2")) return [status, response];
      const { schema: _schema, examples: _examples, ...described } = response;
      return [status, described];
    }),
  );
  return {
    ...operation,
    ...(operation.consumes && { consumes: [JSON_MEDIA_TYPE] }),
    ...(operation.produces && { produces: [JSON_MEDIA_TYPE] }),
    responses,
  };
}

function connectorPaths(paths: Record<string, Swagger2PathItem>): Record<string, Swagger2PathItem> {
  return Object.fromEntries(
    Object.entries(paths).map(([route, item]) => [
      route,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          METHODS.includes(method as never) ? connectorOperation(operation as Swagger2Operation) : operation,
        ]),
      ),
    ]),
  );
}

function connectorMetadata(publisher: ConnectorPublisher) {
  return [
    { propertyName: "Website", propertyValue: publisher.website },
    { propertyName: "Privacy policy", propertyValue: publisher.privacyPolicy },
    { propertyName: "Categories", propertyValue: "Communication" },
  ];
}

/** Power Platform ties an API key connection to the security definition named after its connection parameter. */
export const API_KEY_PARAMETER = "api_key";

/** The name Power Platform's connector editor gives the OAuth 2.0 definition it writes. */
const OAUTH_DEFINITION = "oauth2-auth";

/**
 * The Entra ID definition as Power Platform's editor and Microsoft's Logic Apps documentation write it: the v1
 * endpoints of the `common` tenant and no scopes. Power Platform recognises its Azure Active Directory identity
 * provider by these endpoints and takes the real ones (tenant, resource, client) from apiProperties.json's
 * oAuthSettings, so nothing deployment-specific belongs here; the service's own tenant-specific OAuth 2.0 scheme
 * (in /openapi.json) is for OpenAPI clients, not for the connector.
 */
const ENTRA_SECURITY_DEFINITION = {
  type: "oauth2",
  flow: "accessCode",
  authorizationUrl: "https://login.windows.net/common/oauth2/authorize",
  tokenUrl: "https://login.windows.net/common/oauth2/token",
  scopes: {},
  description: "Sign in with Microsoft Entra ID: the connection sends the signed-in user's access token for the service (Authorization: Bearer).",
};

function connectorSecurity(
  swagger: Swagger2Document,
  auth: ConnectorAuth,
): { securityDefinitions: Record<string, Swagger2SecurityScheme>; security: Record<string, string[]>[] } {
  switch (auth) {
    case "api-key": {
      const scheme = Object.values(swagger.securityDefinitions ?? {}).find((candidate) => candidate.type === "apiKey" && candidate.in === "header");
      if (!scheme) throw new Error("The OpenAPI document declares no API key header security scheme for the connector's connection.");
      return { securityDefinitions: { [API_KEY_PARAMETER]: scheme }, security: [{ [API_KEY_PARAMETER]: [] }] };
    }
    case "entra":
      return { securityDefinitions: { [OAUTH_DEFINITION]: structuredClone(ENTRA_SECURITY_DEFINITION) }, security: [{ [OAUTH_DEFINITION]: [] }] };
  }
}

export function connectorDefinition(openapi: OpenApiDocument, options: ConnectorOptions = {}): Swagger2Document {
  const host = validHost(options.host ?? PLACEHOLDER_HOST);
  if (!host) throw new Error(`Not a valid host name with an optional port: ${JSON.stringify(options.host)}`);
  const basePath = validBasePath(options.basePath ?? "/");
  if (!basePath) throw new Error(`Not a valid base path (it starts with "/"): ${JSON.stringify(options.basePath)}`);
  const swagger = toSwagger2(openapi);
  const { securityDefinitions, security } = connectorSecurity(swagger, options.auth ?? "api-key");
  const publisher = options.publisher ?? PLACEHOLDER_PUBLISHER;
  const extensions = Object.fromEntries(Object.entries(swagger).filter(([key]) => key.startsWith("x-")));
  // A fixed key order, as in Microsoft's connector samples: the output is stable and reads top-down.
  return {
    swagger: "2.0",
    info: { ...swagger.info, contact: { name: publisher.contactName, url: publisher.website, email: publisher.contactEmail } },
    host,
    basePath,
    schemes: ["https"],
    paths: connectorPaths(swagger.paths),
    definitions: swagger.definitions ?? {},
    parameters: swagger.parameters ?? {},
    responses: swagger.responses ?? {},
    securityDefinitions,
    security,
    tags: swagger.tags ?? [],
    ...extensions,
    "x-ms-connector-metadata": connectorMetadata(publisher),
  };
}

/** The definition as one deployment serves it: same content, its own host and schemes. */
export function withHost(definition: Swagger2Document, host: string, schemes: string[]): Swagger2Document {
  return { ...definition, host, schemes };
}

import { API_KEY_PARAMETER, type ConnectorPublisher, PLACEHOLDER_PUBLISHER } from "../swagger2/definition.ts";
import type { EntraConnectorSettings } from "./entra-settings.ts";

/** apiProperties.json and settings.json: what Power Platform needs beside the definition. */

import type { Swagger2Document } from "../swagger2/types.ts";

/** apiProperties.json's parts that this project writes, in the shape of paconn's schema for it. */
export interface UiDefinition {
  displayName?: string;
  description?: string;
  tooltip?: string;
  constraints?: Record<string, string | number | boolean>;
}

export interface OAuthSettings {
  identityProvider: string;
  clientId: string;
  scopes: string[];
  redirectMode: string;
  redirectUrl: string;
  properties: Record<string, string>;
  customParameters: Record<string, { value: string }>;
}

export interface ConnectionParameter {
  type: string;
  uiDefinition?: UiDefinition;
  oAuthSettings?: OAuthSettings;
  metadata?: Record<string, string>;
}

export interface PolicyTemplateInstance {
  templateId: string;
  title: string;
  parameters: Record<string, string>;
}

export interface ApiProperties {
  properties: {
    connectionParameters: Record<string, ConnectionParameter>;
    iconBrandColor: string;
    capabilities: string[];
    policyTemplateInstances: PolicyTemplateInstance[];
    publisher: string;
    stackOwner: string;
  };
}

/** The icon's background and the connector's colour in the maker's action list: not Power Platform's #007ee5, not white. */
const BRAND_COLOR = "#155E75";

/** One variant of the connector: its definition and its apiProperties.json. */
export interface ConnectorVariant {
  definition: Swagger2Document;
  properties: ApiProperties;
}

export const FILES = {
  definition: "apiDefinition.swagger.json",
  properties: "apiProperties.json",
  settings: "settings.json",
  icon: "icon.png",
  readme: "README.md",
} as const;

/** The Entra ID variant's folder, beside the API key variant's files. */
export const ENTRA_FOLDER = "entra";

/** Power Platform's consent redirect; with GlobalPerConnector it gives each connector its own URL under it on saving. */
const CONSENT_REDIRECT_URL = "https://global.consent.azure-apim.net/redirect";

/**
 * The Entra ID connection, in the form Power Platform writes for its Azure Active Directory identity provider
 * (`aad`): the v1 authorization-code flow for a resource (the service's audience), so the token is a v1 token of the
 * tenant (issuer https://sts.windows.net/{tenant}/) whose `aud` is that resource, and whose `scp` holds the delegated
 * permissions the client app was granted. `token:TenantId` is the hidden parameter where Power Platform records each
 * connection's tenant.
 */
function entraConnection(entra: EntraConnectorSettings): Record<string, ConnectionParameter> {
  return {
    token: {
      type: "oauthSetting",
      oAuthSettings: {
        identityProvider: "aad",
        clientId: entra.clientId,
        scopes: [],
        redirectMode: "GlobalPerConnector",
        redirectUrl: CONSENT_REDIRECT_URL,
        properties: { IsFirstParty: "False", AzureActiveDirectoryResourceId: entra.audience },
        customParameters: {
          loginUri: { value: "https://login.microsoftonline.com" },
          tenantId: { value: entra.tenantId },
          resourceUri: { value: entra.audience },
          enableOnbehalfOfLogin: { value: "false" },
        },
      },
      uiDefinition: {
        displayName: "Sign in with Microsoft Entra ID",
        description: "Sign in with a work account of the service's tenant; the connection calls the service as that user.",
        tooltip: "Your account needs the permission the service's operator granted to the connector's app.",
        constraints: { required: "true" },
      },
    },
    "token:TenantId": {
      type: "string",
      metadata: { sourceType: "AzureActiveDirectoryTenant" },
      uiDefinition: { constraints: { required: "false", hidden: "true" } },
    },
  };
}

/** Which connection the properties describe; the Entra ID one needs the deployment's app registrations. */
export type Connection = { auth: "api-key" } | { auth: "entra"; entra: EntraConnectorSettings };

/** The connection parameter the dynamichosturl policy reads: where this connection's service is. */
export const SERVICE_URL_PARAMETER = "serviceUrl";

/**
 * Every connection names its service, so one import serves every deployment: Power Automate and Power Apps send each
 * call to the Service URL (the dynamichosturl policy replaces the definition's host with it). Logic Apps applies no
 * policies and keeps the definition's host: it gets files written for its host, or /swagger.json.
 */
const serviceUrlParameter: ConnectionParameter = {
  type: "string",
  uiDefinition: {
    displayName: "Service URL",
    description: "The address of your acs-identity-connector service, e.g. https://identities.contoso.com.",
    tooltip: "https:// and the host name, with the path the service sits under behind a proxy, if any; no trailing slash.",
    constraints: { tabIndex: 1, required: "true" },
  },
};

const serviceUrlPolicy: PolicyTemplateInstance = {
  templateId: "dynamichosturl",
  title: "Call the service at the connection's Service URL",
  parameters: { "x-ms-apimTemplateParameter.urlTemplate": `@connectionParameters('${SERVICE_URL_PARAMETER}')` },
};

/** The connection a maker creates: the Service URL, and an API key (whose label and tooltip come from the definition) or an Entra ID sign-in. */
function connectionParameters(definition: Swagger2Document, connection: Connection): Record<string, ConnectionParameter> {
  return { [SERVICE_URL_PARAMETER]: serviceUrlParameter, ...credentialParameters(definition, connection) };
}

function credentialParameters(definition: Swagger2Document, connection: Connection): Record<string, ConnectionParameter> {
  switch (connection.auth) {
    case "api-key": {
      const scheme = definition.securityDefinitions?.[API_KEY_PARAMETER];
      if (!scheme) throw new Error(`The API key variant's definition has no ${API_KEY_PARAMETER} security definition.`);
      return {
        [API_KEY_PARAMETER]: {
          type: "securestring",
          uiDefinition: {
            displayName: "API key",
            description: `The API key of the service, sent in the ${scheme.name} header.`,
            tooltip: scheme.description ?? `The key the service accepts in the ${scheme.name} header.`,
            constraints: { tabIndex: 2, clearText: false, required: "true" },
          },
        },
      };
    }
    case "entra":
      return entraConnection(connection.entra);
  }
}

export function apiProperties(
  definition: Swagger2Document,
  connection: Connection = { auth: "api-key" },
  publisher: ConnectorPublisher = PLACEHOLDER_PUBLISHER,
): ApiProperties {
  return {
    properties: {
      connectionParameters: connectionParameters(definition, connection),
      iconBrandColor: BRAND_COLOR,
      capabilities: [],
      policyTemplateInstances: [serviceUrlPolicy],
      // The service's operator both publishes the connector and runs the service behind it.
      publisher: publisher.name,
      stackOwner: publisher.name,
    },
  };
}

/** The paconn CLI's argument store: the three files; `environment` and `connectorId` are the maker's to add. */
export function paconnSettings(): Record<string, string> {
  return { apiDefinition: FILES.definition, apiProperties: FILES.properties, icon: FILES.icon };
}

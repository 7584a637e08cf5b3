import { API_KEY_PARAMETER, type ConnectorAuth } from "./definition.ts";

/** apiProperties.json and settings.json: what Power Platform needs beside the definition. */

type Json = Record<string, any>;

/** The icon's background and the connector's colour in the maker's action list: not Power Platform's #007ee5, not white. */
export const BRAND_COLOR = "#155E75";

export const FILES = {
  definition: "apiDefinition.swagger.json",
  properties: "apiProperties.json",
  settings: "settings.json",
  icon: "icon.png",
  readme: "README.md",
} as const;

/** The connection a maker creates: for the API key, one secret field whose label and tooltip come from the definition. */
function connectionParameters(definition: Json, auth: ConnectorAuth): Json {
  switch (auth) {
    case "api-key": {
      const scheme = definition.securityDefinitions[API_KEY_PARAMETER];
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
  }
}

export function apiProperties(definition: Json, auth: ConnectorAuth = "api-key"): Json {
  return {
    properties: {
      connectionParameters: connectionParameters(definition, auth),
      iconBrandColor: BRAND_COLOR,
      capabilities: [],
      policyTemplateInstances: [],
    },
  };
}

/** The paconn CLI's argument store: the three files; `environment` and `connectorId` are the maker's to add. */
export function paconnSettings(): Json {
  return { apiDefinition: FILES.definition, apiProperties: FILES.properties, icon: FILES.icon };
}

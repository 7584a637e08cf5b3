import { createApp } from "../app.ts";
import { type ConnectorOptions, connectorDefinition } from "./definition.ts";
import { connectorIcon } from "./icon.ts";
import { apiProperties, FILES, paconnSettings } from "./properties.ts";
import { connectorReadme } from "./readme.ts";

/** Every file of connector/, by name, as `npm run connector` writes it. Node only (the icon needs node:zlib). */

/** The routes' document. The app is never served, so no handler runs and it needs no ACS client. */
export function routesDocument() {
  return createApp({ services: { identity: null as never }, apiKeys: [], log: () => {} }).document;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function connectorFiles(options: ConnectorOptions = {}): Record<string, string | Buffer> {
  const auth = options.auth ?? "api-key";
  const definition = connectorDefinition(routesDocument(), { ...options, auth });
  const properties = apiProperties(definition, auth);
  return {
    [FILES.definition]: json(definition),
    [FILES.properties]: json(properties),
    [FILES.settings]: json(paconnSettings()),
    [FILES.icon]: connectorIcon(properties.properties.iconBrandColor),
    [FILES.readme]: connectorReadme(definition, properties),
  };
}

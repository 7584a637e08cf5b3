import { createApp } from "../app.ts";
import { type ConnectorOptions, type ConnectorPublisher, connectorDefinition, PLACEHOLDER_PUBLISHER } from "../swagger2/definition.ts";
import { type EntraConnectorSettings, entraConnectorSettings } from "./entra-settings.ts";
import type { OpenApiDocument } from "../swagger2/types.ts";
import { connectorIcon } from "./icon.ts";
import { apiProperties, type Connection, type ConnectorVariant, ENTRA_FOLDER, FILES, paconnSettings } from "./properties.ts";
import { connectorReadme } from "./readme.ts";

/**
 * Every file of connector/, by path, as `npm run connector` writes it: the API key variant at the top, the Entra ID
 * variant in entra/, one README for both. Node only (the icon needs node:zlib).
 */

export interface GeneratorOptions extends Omit<ConnectorOptions, "auth" | "publisher"> {
  /** Who publishes and supports the connector; placeholders where left out. */
  publisher?: Partial<ConnectorPublisher>;
  /** The Entra ID variant's app registrations; placeholders where left out. */
  entra?: Partial<EntraConnectorSettings>;
}

/** The routes' document. The app is never served, so no handler runs and it needs no ACS client. */
function routesDocument() {
  return createApp({ services: { identity: null as never }, apiKeys: [], log: () => {} }).document;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The publisher with placeholders for what is left out; an email or URL that is not one is refused. */
function publisherSettings(given: Partial<ConnectorPublisher> = {}): ConnectorPublisher {
  const publisher = { ...PLACEHOLDER_PUBLISHER, ...given };
  if (!EMAIL.test(publisher.contactEmail)) throw new Error(`Not a valid contact email: ${JSON.stringify(publisher.contactEmail)}`);
  for (const [what, url] of [
    ["website", publisher.website],
    ["privacy policy URL", publisher.privacyPolicy],
  ] as const) {
    if (!URL.canParse(url) || new URL(url).protocol !== "https:") throw new Error(`Not a valid ${what} (an https:// URL): ${JSON.stringify(url)}`);
  }
  // Certification wants the publisher in letters, digits and spaces.
  if (!/^[A-Za-z0-9][A-Za-z0-9 ]*$/.test(publisher.name))
    throw new Error(`Not a valid publisher name (letters, digits and spaces): ${JSON.stringify(publisher.name)}`);
  if (!publisher.contactName.trim()) throw new Error("Not a valid contact name: it is empty");
  return publisher;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function variant(document: OpenApiDocument, options: ConnectorOptions & { publisher: ConnectorPublisher }, connection: Connection): ConnectorVariant {
  const definition = connectorDefinition(document, { ...options, auth: connection.auth });
  return { definition, properties: apiProperties(definition, connection, options.publisher) };
}

function variantFiles({ definition, properties }: ConnectorVariant, icon: Buffer, folder = ""): Record<string, string | Buffer> {
  return {
    [folder + FILES.definition]: json(definition),
    [folder + FILES.properties]: json(properties),
    [folder + FILES.settings]: json(paconnSettings()),
    [folder + FILES.icon]: icon,
  };
}

export function connectorFiles(options: GeneratorOptions = {}): Record<string, string | Buffer> {
  const { entra, publisher: given, ...rest } = options;
  const where = { ...rest, publisher: publisherSettings(given) };
  const document = routesDocument();
  const apiKey = variant(document, where, { auth: "api-key" });
  const signIn = variant(document, where, { auth: "entra", entra: entraConnectorSettings(entra) });
  // Both variants share the icon: one connector, two ways to connect.
  const icon = connectorIcon(apiKey.properties.properties.iconBrandColor);
  return {
    ...variantFiles(apiKey, icon),
    [FILES.readme]: connectorReadme(apiKey, signIn),
    ...variantFiles(signIn, icon, `${ENTRA_FOLDER}/`),
  };
}

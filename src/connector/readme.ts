import { METHODS } from "../swagger2/convert.ts";
import { API_KEY_PARAMETER, PLACEHOLDER_HOST } from "../swagger2/definition.ts";
import { type ConnectorVariant, ENTRA_FOLDER, FILES, SERVICE_URL_PARAMETER } from "./properties.ts";
import { ENTRA_SECTION_TITLE, entraSection } from "./readme-entra.ts";

/**
 * connector/README.md, written from the connector definition so that the action list it shows never drifts from
 * what makers import. The editor each input gets is the one Microsoft's designer (Azure/LogicAppsUX) picks; the
 * project's README names the code that decides it.
 */

import type { Swagger2Document, Swagger2Operation, Swagger2Parameter, Swagger2Schema } from "../swagger2/types.ts";

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replaceAll(" ", "-");
const cell = (text: unknown) =>
  String(text ?? "")
    .replaceAll("|", "\\|")
    .replaceAll("\n", " ");
const row = (cells: unknown[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: string[], rows: string[]) => [row(head), row(head.map(() => "---")), ...rows].join("\n");

function resolve(definition: Swagger2Document, schema: Swagger2Schema, seen: Swagger2Schema[] = []): Swagger2Schema {
  if (!schema.$ref || seen.includes(schema)) return schema;
  return resolve(definition, definition.definitions?.[schema.$ref.slice("#/definitions/".length)] ?? {}, [...seen, schema]);
}

function typeOf(definition: Swagger2Document, schema: Swagger2Schema): string {
  schema = resolve(definition, schema);
  if (schema.type === "array") return `list of ${typeOf(definition, schema.items ?? {})}`;
  const type = schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? "any");
  return schema.enum ? `${type}: ${schema.enum.join(", ")}` : type;
}

/**
 * The editor the designer shows for an input: an array always gets the array editor, whose items take choices with
 * display names from x-ms-dynamic-values alone (an enum lists raw values); anything else is a text box with tokens.
 */
function editorOf(definition: Swagger2Document, schema: Swagger2Schema): string {
  schema = resolve(definition, schema);
  if (schema.type === "array") {
    const items = resolve(definition, schema.items ?? {});
    const dynamic = items["x-ms-dynamic-values"] as { operationId: string } | undefined;
    if (dynamic) return `a list to pick from per item (**Add new item** adds one), showing the display names ${dynamic.operationId} returns`;
    return items.enum ? "a list to pick from per item, showing the raw values" : "a text box per item (**Add new item** adds one)";
  }
  if (schema.enum) return "list of choices";
  return schema.type === "integer" ? "text box (a whole number)" : "text box";
}

/** The fields a maker fills in or picks from dynamic content: a body's or a response's properties, one level deep. */
function propertyRows(definition: Swagger2Document, schema: Swagger2Schema, kind: "input" | "output"): string[] {
  const resolved = resolve(definition, schema);
  const required: string[] = resolved.required ?? [];
  return Object.entries(resolved.properties ?? {}).map(([name, property]) => {
    const own = resolve(definition, property);
    const label = property["x-ms-summary"] ?? own["x-ms-summary"];
    const description = property.description ?? own.description;
    const advanced = (property["x-ms-visibility"] ?? own["x-ms-visibility"]) === "advanced" ? " (advanced)" : "";
    const type = typeOf(definition, property);
    return kind === "input"
      ? row([label + advanced, `\`${name}\``, type, required.includes(name) ? "yes" : "no", editorOf(definition, property), description])
      : row([label, `\`${name}\``, type, description]);
  });
}

/** A path or query parameter carries its schema's keywords itself; only its `required` means something else. */
const keywordsOf = (parameter: Swagger2Parameter): Swagger2Schema => ({ ...parameter, required: undefined });

function inputRows(definition: Swagger2Document, operation: Swagger2Operation): string[] {
  return (operation.parameters ?? []).flatMap((parameter: Swagger2Parameter) =>
    parameter.in === "body"
      ? propertyRows(definition, parameter.schema ?? {}, "input")
      : [
          row([
            parameter["x-ms-summary"],
            `\`${parameter.name}\` (${parameter.in})`,
            typeOf(definition, keywordsOf(parameter)),
            parameter.required ? "yes" : "no",
            editorOf(definition, keywordsOf(parameter)),
            parameter.description,
          ]),
        ],
  );
}

function operations(definition: Swagger2Document): [string, string, Swagger2Operation][] {
  return Object.entries(definition.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method): [string, string, Swagger2Operation] => [method, path, item[method] as Swagger2Operation]),
  );
}

const INPUT_HEAD = ["input", "field", "type", "required", "editor in the designer", "description"];
const OUTPUT_HEAD = ["output", "field", "type", "description"];

function actionSection(definition: Swagger2Document, method: string, path: string, operation: Swagger2Operation): string {
  const [status, success] = Object.entries(operation.responses).find(([code]) => code.startsWith("2"))!;
  const inputs = inputRows(definition, operation);
  const outputs = success.schema ? propertyRows(definition, success.schema, "output") : [];
  const errors = Object.keys(operation.responses).filter((code) => !code.startsWith("2"));
  const listed = operation["x-ms-visibility"] === "advanced" ? " Listed under the connector's more actions (`advanced`)." : "";
  return `### ${operation.summary}

\`${operation.operationId}\`: \`${method.toUpperCase()} ${path}\`. ${operation.description}${listed}

Inputs:

${inputs.length ? table(INPUT_HEAD, inputs) : "None."}

Outputs (${status}):

${outputs.length ? table(OUTPUT_HEAD, outputs) : `None: the answer is ${status} with no body.`}

Errors: ${errors.join(", ")}.
`;
}

/**
 * One row per error status, each distinct description once: the one most actions give first, then any other, named
 * by the actions that give it (the Teams exchange's 400 also covers a token ACS rejects).
 */
function errorRows(actions: Swagger2Operation[]): string[] {
  const byStatus = new Map<string, Map<string, string[]>>();
  for (const operation of actions) {
    for (const [code, response] of Object.entries(operation.responses)) {
      if (code.startsWith("2")) continue;
      const descriptions = byStatus.get(code) ?? new Map<string, string[]>();
      const description = response.description ?? "";
      byStatus.set(code, descriptions.set(description, [...(descriptions.get(description) ?? []), operation.summary ?? ""]));
    }
  }
  return [...byStatus]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, descriptions]) => {
      const [common, ...others] = [...descriptions].sort(([, a], [, b]) => b.length - a.length);
      return row([code, [common![0], ...others.map(([text, names]) => `**${names.join("**, **")}**: ${text}`)].join("<br>")]);
    });
}

/** The README of both variants; the actions and errors are the same in both, so they are listed once. */
export function connectorReadme({ definition, properties }: ConnectorVariant, entra: ConnectorVariant): string {
  const { info, host, basePath } = definition;
  // The committed files' host is a placeholder: where the README shows an address to type, it says whose.
  const base = host === PLACEHOLDER_HOST ? "https://<your service host>" : `https://${host}${basePath === "/" ? "" : basePath}`;
  const header = definition.securityDefinitions?.[API_KEY_PARAMETER]?.name;
  const serviceUrl = properties.properties.connectionParameters[SERVICE_URL_PARAMETER]?.uiDefinition?.displayName;
  const all = operations(definition);
  const actions = all.filter(([, , operation]) => operation["x-ms-visibility"] !== "internal");
  const internal = all.filter(([, , operation]) => operation["x-ms-visibility"] === "internal");
  const testConnection = (definition["x-ms-capabilities"] as { testConnection: { operationId: string } }).testConnection.operationId;
  const named = (operationId: string) => all.find(([, , operation]) => operation.operationId === operationId)!;
  const [, testPath] = named(testConnection);
  const written =
    host === PLACEHOLDER_HOST
      ? `The committed files name the placeholder host \`${host}\`: Power Automate and Power Apps never use it (each connection's **${serviceUrl}** replaces it), so they import as they are.`
      : `These files were written for host \`${host}\`${basePath === "/" ? "" : ` and base path \`${basePath}\``}.`;
  return `# ${info.title}: Power Platform and Logic Apps connector

<!-- Generated by \`npm run connector\` from the service's routes. Do not edit: change the routes and run it again. -->

${info.description}

- \`${FILES.definition}\`: the Swagger 2.0 definition of the actions.
- \`${FILES.properties}\`: the connection (the **${serviceUrl}** and an API key, sent in the \`${header}\` header), the
  policy that sends each call to the connection's ${serviceUrl}, the brand colour and the publisher.
- \`${FILES.icon}\`: the icon. \`${FILES.settings}\`: the paconn CLI's settings.
- \`${ENTRA_FOLDER}/\`: the same four files for a connection that signs in with Microsoft Entra ID (OAuth 2.0)
  instead of an API key; see [${ENTRA_SECTION_TITLE}](#${anchor(ENTRA_SECTION_TITLE)}).

${written} Logic Apps applies no policies and calls the definition's host: write the files for your host into a
folder of their own, or use the service's \`/swagger.json\`, whose \`host\` is the one it was called by:

\`\`\`sh
npm run connector -- --host identities.contoso.com --out my-connector
npm run connector -- --host api.contoso.com --base-path /identities --out my-connector
\`\`\`

You need an API key of the service (one of its \`API_KEYS\`; for a \`name:key\` entry, the key after the colon) to create a connection.

## Power Automate and Power Apps

### Import

\`${FILES.properties}\` carries the ${serviceUrl} connection parameter and its policy, so import it with the
definition: with the Power Platform CLI (\`pac\`: \`dotnet tool install --global Microsoft.PowerApps.CLI.Tool\`, or the
Power Platform Tools extension for VS Code), from this folder:

\`\`\`sh
pac auth create --environment <environment id or URL>
pac connector create --api-definition-file ${FILES.definition} --api-properties-file ${FILES.properties} --icon-file ${FILES.icon}
# later, with the connector id that pac connector list shows:
pac connector update --connector-id <connector id> --api-definition-file ${FILES.definition} --api-properties-file ${FILES.properties} --icon-file ${FILES.icon}
\`\`\`

Or with the older paconn CLI (Python):

\`\`\`sh
pip install paconn
paconn login
paconn create --api-def ${FILES.definition} --api-prop ${FILES.properties} --icon ${FILES.icon}
# later, with the environment and connectorId that create printed added to ${FILES.settings}:
paconn update --settings ${FILES.settings}
\`\`\`

The portal's **Custom connectors** > **New custom connector** > **Import an OpenAPI file** reads the definition alone:
it gets no ${serviceUrl}, so the connector calls the definition's host. Import files written for your host there
(\`--host\`, above), or *Import an OpenAPI from URL* with your service's \`/swagger.json\`; then, on **General**,
upload \`${FILES.icon}\` and set the colour to \`${properties.properties.iconBrandColor}\`.

### Create a connection

On the connector's **Test** tab, or when a maker first adds one of its actions, choose **New connection** and fill in:

- **${serviceUrl}**: your service's address, \`https://\` and its host name (with the path it sits under behind a
  proxy, if any), e.g. \`https://identities.contoso.com\`. Every call of this connection goes there.
- **API key**: one of the service's \`API_KEYS\` (for a \`name:key\` entry, the key after the colon).

### Test the connection

The definition names \`${testConnection}\` (\`GET ${testPath}\`) as its test connection
(\`x-ms-capabilities.testConnection\`): where Power Platform runs it, a wrong key, token or ${serviceUrl} fails when the
connection is created, not in the middle of a flow. It answers \`{ "status": "ok", "caller": "..." }\` and never
reaches ACS. Microsoft's schema for connector files notes that custom connectors do not run it yet; there, try the
connection on the **Test** tab with **Create a user**.

## Logic Apps (Consumption)

1. Write the files for your host: \`npm run connector -- --host identities.contoso.com --out my-connector\`.
2. In the Azure portal, create a **Logic Apps Custom Connector** resource (subscription, resource group, name,
   region: the region of your logic apps).
3. Open it, choose **Edit**, select **OpenAPI file** and upload \`my-connector/${FILES.definition}\`, then **Import**.
4. Check **General** (host, icon) and **Security** (API key, parameter \`${header}\`, in the header), then **Update connector**.
5. In a Consumption workflow, add an action, choose the **Custom** tab, pick the connector and an action, and create
   the connection with your API key.

## Logic Apps (Standard)

Standard workflows call the service with the built-in **HTTP + Swagger** action, no custom connector needed:

1. Add an action: **HTTP** > **HTTP + Swagger**; **Swagger endpoint**: \`${base}/swagger.json\`. The designer fetches
   it from your browser, which the service allows from any origin.
2. Pick an operation; its inputs and outputs are the ones listed below.
3. Authenticate: with Entra ID on the service, set **Authentication** to **Managed identity** (the logic app's
   system-assigned identity, turned on under **Identity**) and **Audience** to the service's \`ENTRA_AUDIENCE\`. Grant that
   identity the service's app role (\`ENTRA_REQUIRED_ROLE\`), e.g.
   \`az rest --method POST --uri https://graph.microsoft.com/v1.0/servicePrincipals/<identity object id>/appRoleAssignments --body '{"principalId":"<identity object id>","resourceId":"<service principal id of the API app>","appRoleId":"<app role id>"}'\`.
   With API keys, use the **HTTP** action instead, with the header \`${header}: <your API key>\` (best from a Key Vault
   reference or a secure parameter, never typed into the workflow).

The Consumption designer has the same **HTTP + Swagger** action.

## Build and try flows against the service on your laptop

Power Platform calls from Microsoft's servers, so a service on your laptop needs a public https address: a dev
tunnel gives one.

\`\`\`sh
npm start                          # on the embedded ACS emulator; prints the API key it generated
devtunnel user login               # once (https://aka.ms/devtunnels/download)
devtunnel host -p 8080 --allow-anonymous
# Connect via browser: https://<tunnel id>-8080.<region>.devtunnels.ms
\`\`\`

Create a connection with that address as **${serviceUrl}** and the printed key; \`<tunnel address>/swagger.json\`
names the tunnel's host (the tunnel sends it as \`X-Forwarded-Host\`), for Logic Apps' **HTTP + Swagger** or
\`npm run connector -- --host <tunnel id>-8080.<region>.devtunnels.ms --out my-connector\`. Tokens issued on the
emulator are the emulator's: good for building flows, not for ACS's Chat or Calling SDKs. Stop the tunnel when done:
anyone with its address reaches the service (the API key still guards every action).

${entraSection(entra.properties, base)}
## Actions

${actions.map(([method, path, operation]) => actionSection(definition, method, path, operation)).join("\n")}
Internal operations, which makers never see as actions: ${internal.map(([method, path, operation]) => `\`${operation.operationId}\` (\`${method.toUpperCase()} ${path}\`): ${operation.description}`).join(" ")}

## Errors

Every error is \`application/problem+json\` (which Power Platform reads as JSON) with these fields:

${table(OUTPUT_HEAD, propertyRows(definition, definition.definitions?.Problem ?? {}, "output"))}

${table(["status", "when"], errorRows(actions.map(([, , operation]) => operation)))}
`;
}

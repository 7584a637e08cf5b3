import { API_KEY_PARAMETER, PLACEHOLDER_HOST } from "../swagger2/definition.ts";
import { type ConnectorVariant, ENTRA_FOLDER, FILES } from "./properties.ts";
import { ENTRA_SECTION_TITLE, entraSection } from "./readme-entra.ts";
import { METHODS } from "../swagger2/convert.ts";

/**
 * connector/README.md, written from the connector definition so that the action list it shows never drifts from
 * what makers import.
 */

type Json = Record<string, any>;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, "").replaceAll(" ", "-");
const cell = (text: unknown) => String(text ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
const row = (cells: unknown[]) => `| ${cells.map(cell).join(" | ")} |`;

function resolve(definition: Json, schema: Json): Json {
  const prefix = "#/definitions/";
  return schema.$ref ? resolve(definition, definition.definitions[schema.$ref.slice(prefix.length)]) : schema;
}

function typeOf(definition: Json, schema: Json): string {
  schema = resolve(definition, schema);
  if (schema.type === "array") return `list of ${typeOf(definition, schema.items ?? {})}`;
  const type = schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? "any");
  return schema.enum ? `${type}: ${schema.enum.join(", ")}` : type;
}

/** The fields a maker fills in or picks from dynamic content: a body's or a response's properties, one level deep. */
function propertyRows(definition: Json, schema: Json, withRequired: boolean): string[] {
  const resolved = resolve(definition, schema);
  const required: string[] = resolved.required ?? [];
  return Object.entries<Json>(resolved.properties ?? {}).map(([name, property]) => {
    const own = resolve(definition, property);
    const label = property["x-ms-summary"] ?? own["x-ms-summary"];
    const description = property.description ?? own.description;
    const advanced = (property["x-ms-visibility"] ?? own["x-ms-visibility"]) === "advanced" ? " (advanced)" : "";
    return row([label + advanced, `\`${name}\``, typeOf(definition, property), ...(withRequired ? [required.includes(name) ? "yes" : "no"] : []), description]);
  });
}

function inputRows(definition: Json, operation: Json): string[] {
  return (operation.parameters ?? []).flatMap((parameter: Json) =>
    parameter.in === "body"
      ? propertyRows(definition, parameter.schema, true)
      : [row([parameter["x-ms-summary"], `\`${parameter.name}\` (${parameter.in})`, typeOf(definition, parameter), parameter.required ? "yes" : "no", parameter.description])],
  );
}

function operations(definition: Json): [string, string, Json][] {
  return Object.entries<Json>(definition.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method): [string, string, Json] => [method, path, item[method]]),
  );
}

function actionSection(definition: Json, method: string, path: string, operation: Json): string {
  const [status, success] = Object.entries<Json>(operation.responses).find(([code]) => code.startsWith("2"))!;
  const inputs = inputRows(definition, operation);
  const outputs = success.schema ? propertyRows(definition, success.schema, false) : [];
  const errors = Object.keys(operation.responses).filter((code) => !code.startsWith("2"));
  return [
    `### ${operation.summary}`,
    "",
    `\`${operation.operationId}\`: \`${method.toUpperCase()} ${path}\`. ${operation.description}`,
    "",
    "Inputs:",
    "",
    ...(inputs.length ? [row(["input", "field", "type", "required", "description"]), row(["---", "---", "---", "---", "---"]), ...inputs] : ["None."]),
    "",
    `Outputs (${status}):`,
    "",
    ...(outputs.length ? [row(["output", "field", "type", "description"]), row(["---", "---", "---", "---"]), ...outputs] : [`None: the answer is ${status} with no body.`]),
    "",
    `Errors: ${errors.join(", ")}.`,
    "",
  ].join("\n");
}

/**
 * One row per error status, each distinct description once: the one most actions give first, then any other, named
 * by the actions that give it (the Teams exchange's 400 also covers a token ACS rejects).
 */
function errorRows(definition: Json): string[] {
  const byStatus = new Map<string, Map<string, string[]>>();
  for (const [, , operation] of operations(definition)) {
    for (const [code, response] of Object.entries<Json>(operation.responses)) {
      if (code.startsWith("2")) continue;
      const descriptions = byStatus.get(code) ?? new Map<string, string[]>();
      byStatus.set(code, descriptions.set(response.description, [...(descriptions.get(response.description) ?? []), operation.summary]));
    }
  }
  return [...byStatus]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, descriptions]) => {
      const [common, ...others] = [...descriptions].sort(([, a], [, b]) => b.length - a.length);
      return row([code, [common![0], ...others.map(([text, actions]) => `**${actions.join("**, **")}**: ${text}`)].join("<br>")]);
    });
}

/** The README of both variants; the actions and errors are the same in both, so they are listed once. */
export function connectorReadme({ definition, properties }: ConnectorVariant, entra: ConnectorVariant): string {
  const { info, host, basePath } = definition;
  const base = `https://${host}${basePath === "/" ? "" : basePath}`;
  const header = definition.securityDefinitions[API_KEY_PARAMETER].name;
  const errorSchema = operations(definition)
    .flatMap(([, , operation]) => Object.entries<Json>(operation.responses))
    .find(([code, response]) => !code.startsWith("2") && response.schema)?.[1].schema;
  return [
    `# ${info.title}: Power Platform and Logic Apps connector`,
    "",
    "<!-- Generated by `npm run connector` from the service's routes. Do not edit: change the routes and run it again. -->",
    "",
    info.description,
    "",
    `These files describe the service at \`${base}\`:`,
    "",
    `- \`${FILES.definition}\`: the Swagger 2.0 definition of the actions.`,
    `- \`${FILES.properties}\`: the connection (an API key, sent in the \`${header}\` header) and the brand colour.`,
    `- \`${FILES.icon}\`: the icon. \`${FILES.settings}\`: the paconn CLI's settings.`,
    `- \`${ENTRA_FOLDER}/\`: the same four files for a connection that signs in with Microsoft Entra ID (OAuth 2.0)`,
    `  instead of an API key; see [${ENTRA_SECTION_TITLE}](#${anchor(ENTRA_SECTION_TITLE)}).`,
    "",
    "## Set the host",
    "",
    host === PLACEHOLDER_HOST
      ? "The committed files name a placeholder host. Write them for your deployment"
      : `These files were written for host \`${host}\`${basePath === "/" ? "" : ` and base path \`${basePath}\``}. Write them for another deployment`,
    "(host name, optional port, a base path when the service sits under one behind a proxy, and `--out` for another",
    "folder than `connector/`):",
    "",
    "```sh",
    "npm run connector -- --host identities.contoso.com",
    "npm run connector -- --host api.contoso.com --base-path /identities --out my-connector",
    "```",
    "",
    "Or skip the files: a running service serves the same definition at `/swagger.json`, with `host` set to the host",
    "it was called by (the first `X-Forwarded-Host` behind a proxy, else `Host`), ready for *Import from URL* and for",
    "Logic Apps' *HTTP + Swagger* action. It is the API key variant when the service has API keys, the Entra ID variant",
    "when it accepts Entra ID tokens alone.",
    "",
    "You need an API key of the service (one of its `API_KEYS`) to create a connection.",
    "",
    "## Import into Power Automate or Power Apps",
    "",
    "1. Sign in to Power Automate (or Power Apps) and open **Custom connectors** (under **Data** or **More**).",
    "2. Choose **New custom connector** > **Import an OpenAPI file**, name the connector, and pick",
    `   \`${FILES.definition}\` (or **Import an OpenAPI from URL** with \`${base}/swagger.json\`).`,
    `3. On **General**, upload \`${FILES.icon}\` and set the background colour to \`${properties.properties.iconBrandColor}\`; check that **Host** is`,
    `   \`${host}\`.`,
    `4. On **Security**, the definition has set **API Key**, parameter name \`${header}\`, location **Header**; give it`,
    "   the label makers will see, e.g. `API key`. (paconn takes the label from apiProperties.json.)",
    "5. On **Definition**, the five actions below are listed. Choose **Create connector**.",
    "6. On **Test**, choose **New connection**, paste your API key, and try **Create a user**.",
    "",
    "## Import into Logic Apps (Consumption)",
    "",
    "1. In the Azure portal, create a **Logic Apps Custom Connector** resource (subscription, resource group, name,",
    "   region: the region of your logic apps).",
    `2. Open it, choose **Edit**, select **OpenAPI file** and upload \`${FILES.definition}\`, then **Import**.`,
    "3. Check **General** (host, icon) and **Security** (API key in the header) as above, then **Update connector**.",
    "4. In a Consumption workflow, add an action, choose the **Custom** tab, pick the connector and an action,",
    "   and create the connection with your API key.",
    "",
    `Without a custom connector, the **HTTP + Swagger** action takes \`${base}/swagger.json\` as its Swagger endpoint`,
    `and lists the same actions; send your API key in the \`${header}\` header.`,
    "",
    "## Create or update it from the command line",
    "",
    "With the Power Platform CLI (`pac`: `dotnet tool install --global Microsoft.PowerApps.CLI.Tool`, or the Power",
    "Platform Tools extension for VS Code), from this folder:",
    "",
    "```sh",
    "pac auth create --environment <environment id or URL>",
    `pac connector create --api-definition-file ${FILES.definition} --api-properties-file ${FILES.properties} --icon-file ${FILES.icon}`,
    "# later, with the connector id that pac connector list shows:",
    `pac connector update --connector-id <connector id> --api-definition-file ${FILES.definition} --api-properties-file ${FILES.properties} --icon-file ${FILES.icon}`,
    "```",
    "",
    "Or with the older paconn CLI (Python):",
    "",
    "```sh",
    "pip install paconn",
    "paconn login",
    `paconn create --api-def ${FILES.definition} --api-prop ${FILES.properties} --icon ${FILES.icon}`,
    `# later, with the environment and connectorId that create printed added to ${FILES.settings}:`,
    `paconn update --settings ${FILES.settings}`,
    "```",
    "",
    entraSection(entra.properties, base),
    "## Actions",
    "",
    ...operations(definition).map(([method, path, operation]) => actionSection(definition, method, path, operation)),
    "## Errors",
    "",
    "Every error is `application/problem+json` with these fields:",
    "",
    row(["output", "field", "type", "description"]),
    row(["---", "---", "---", "---"]),
    ...propertyRows(definition, errorSchema, false),
    "",
    row(["status", "when"]),
    row(["---", "---"]),
    ...errorRows(definition),
    "",
  ].join("\n");
}

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv } from "ajv";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLACEHOLDER_HOST, PLACEHOLDER_PUBLISHER } from "../src/swagger2/definition.ts";
import { PLACEHOLDER_ENTRA } from "../src/connector/entra-settings.ts";
import { connectorFiles } from "../src/connector/files.ts";
import { decodePng, parseHexColor } from "../src/connector/icon.ts";
import { ENTRA_FOLDER } from "../src/connector/properties.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, "test/fixtures/powerplatform", name), "utf8"));
// CommonJS packages: under NodeNext their default export is module.exports, which names itself `default`.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

/** paconn's draft-07 schemas name themselves with draft-04's `id`, which Ajv refuses in draft-07; the name is not needed. */
const draft07 = (name: string) => {
  const { id: _id, ...schema } = fixture(name);
  return schema;
};
const committed = (name: string) => readFileSync(join(ROOT, "connector", name));

type Json = Record<string, any>;
const generated = connectorFiles();
const PLACEHOLDER_CONTACT = { name: PLACEHOLDER_PUBLISHER.contactName, url: PLACEHOLDER_PUBLISHER.website, email: PLACEHOLDER_PUBLISHER.contactEmail };

/** The two variants, each checked against every rule that is not about its connection. */
const variants = [
  { name: "API key", folder: "" },
  { name: "Entra ID", folder: `${ENTRA_FOLDER}/` },
].map(({ name, folder }) => {
  const file = (base: string) => generated[folder + base];
  return {
    name,
    folder,
    files: Object.keys(generated).filter((path) => path.startsWith(folder) && !path.slice(folder.length).includes("/")),
    definitionText: String(file("apiDefinition.swagger.json")),
    definition: JSON.parse(String(file("apiDefinition.swagger.json"))),
    properties: JSON.parse(String(file("apiProperties.json"))),
    settings: JSON.parse(String(file("settings.json"))),
    icon: file("icon.png") as Buffer,
  };
});
type Variant = (typeof variants)[number];
const [apiKeyVariant, entraVariant] = variants as [Variant, Variant];

const resolveIn = (definition: Json, schema: Json): Json =>
  schema.$ref ? resolveIn(definition, definition.definitions[schema.$ref.replace("#/definitions/", "")]) : schema;
const operationsOf = (definition: Json) =>
  Object.entries<Json>(definition.paths).flatMap(([path, item]) => Object.entries<Json>(item).map(([method, op]) => ({ path, method, op })));

/** Every property a maker fills in or picks from dynamic content, through $refs, arrays and nested objects. */
function fields(definition: Json, schema: Json, at: string, seen = new Set<Json>()): { at: string; property: Json }[] {
  const resolved = resolveIn(definition, schema);
  if (seen.has(resolved)) return [];
  seen.add(resolved);
  if (resolved.type === "array") return fields(definition, resolved.items, `${at}[]`, seen);
  return Object.entries<Json>(resolved.properties ?? {}).flatMap(([name, property]) => [
    { at: `${at}.${name}`, property },
    ...fields(definition, property, `${at}.${name}`, seen),
  ]);
}
/** A field's annotation, on the property or on the schema its $ref names. */
const annotation = (definition: Json, property: Json, key: string) => property[key] ?? resolveIn(definition, property)[key];

/**
 * paconn's apiProperties schema dates from 2020. Since then Power Platform has added the per-connector redirect
 * (`redirectMode: "GlobalPerConnector"`, which Microsoft requires of new OAuth connectors since 2024) and writes
 * `enableOnbehalfOfLogin` among the aad provider's custom parameters; the schema knows neither. Those two, and
 * nothing else, are added to it (a test below shows the file passes the schema as it stands without them).
 */
function paconnPropertiesSchema(): Json {
  const schema = draft07("paconn-apiProperties.schema.json");
  const oauth = schema.definitions.oAuthSettings;
  oauth.properties.redirectMode.enum.push("GlobalPerConnector");
  const aad = oauth.oneOf.find((branch: Json) => branch.description === "identityProvider: aad");
  aad.properties.customParameters.properties.enableOnbehalfOfLogin = {};
  return schema;
}

function validator(schema: Json) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Title case: every word capitalised except short joining words; the first always. */
const SMALL_WORDS = new Set(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"]);
const isTitleCase = (text: string) => text.split(" ").every((word, i) => /^[A-Z0-9(]/.test(word) || (i > 0 && SMALL_WORDS.has(word)));
/** Sentence case: a capital first letter, later capitals only for names and acronyms. */
const PROPER = new Set(["Teams", "ACS", "ID"]);
const isSentenceCase = (text: string) =>
  /^[A-Z]/.test(text) &&
  text
    .split(" ")
    .slice(1)
    .every((word) => !/^[A-Z]/.test(word) || PROPER.has(word.replace(/'s$/, "")));

function keysDeep(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysDeep(item, found);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      found.add(key);
      keysDeep(child, found);
    }
  }
  return found;
}

describe.each(variants)("the $name variant is valid", ({ definition, properties, settings, files }) => {
  it("as Swagger 2.0 (swagger-parser)", async () => {
    await expect(SwaggerParser.validate(structuredClone(definition) as never)).resolves.toBeDefined();
  });

  it("against Power Platform's apiDefinition schema (draft-04)", () => {
    const ajv = new AjvDraft04({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(fixture("apiDefinition.swagger.schema.json"));
    expect(validate(definition), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it("apiProperties.json and settings.json against paconn's schemas (draft-07)", () => {
    const validateProperties = validator(paconnPropertiesSchema());
    expect(validateProperties(properties), JSON.stringify(validateProperties.errors, null, 1)).toBe(true);
    const validateSettings = validator(draft07("paconn-settings.schema.json"));
    expect(validateSettings(settings), JSON.stringify(validateSettings.errors, null, 1)).toBe(true);
    // settings.json names the files beside it.
    const names = files.map((path) => path.split("/").pop());
    for (const file of [settings.apiDefinition, settings.apiProperties, settings.icon]) expect(names).toContain(file);
  });
});

/**
 * Microsoft's rules for connector files, each test named after the rule: the Swagger validator's (developerhub
 * docs/custom-connectors/certification-swagger-validator-rules.md) where it has a name for it, else the certification
 * checklist's heading (certification-submission.md). A file that breaks one is a bug, submitted for certification or not.
 */
describe.each(variants)("Microsoft's connector rules, on the $name variant", ({ definition, definitionText, properties, icon }) => {
  const resolve = (schema: Json) => resolveIn(definition, schema);
  const operations = operationsOf(definition);
  const byId = (operationId: string) => operations.find(({ op }) => op.operationId === operationId);

  it("SpecificationVersionIncorrect, and Swagger 2.0 only, under 1 MB (Step 3d), nothing OpenAPI 3 or unexpressible left", () => {
    expect(definition.swagger).toBe("2.0");
    expect(Buffer.byteLength(definitionText)).toBeLessThan(1024 * 1024);
    const keys = keysDeep(definition);
    for (const key of ["openapi", "servers", "components", "requestBody", "oneOf", "anyOf", "nullable", "content"]) expect(keys.has(key), key).toBe(false);
    const typeArrays = JSON.stringify(definition).match(/"type":\[/g);
    expect(typeArrays).toBeNull();
  });

  it("HostNameNotValid, BasePathNotValid, SchemeNotValid, SchemesArrayEmpty: a host without scheme, basePath, https only", () => {
    expect(definition.host).toBe(PLACEHOLDER_HOST);
    expect(definition.host).not.toMatch(/:\/\/|\//);
    expect(definition.basePath).toBe("/");
    expect(definition.schemes).toEqual(["https"]);
  });

  it("FieldLengthExceeded, ValueContainsRestrictedWords, ValueMustEndWithAlphanumeric: the title", () => {
    const { title } = definition.info;
    expect(title.length).toBeLessThanOrEqual(30);
    expect(title).not.toMatch(/\b(API|Connector|Azure|Microsoft|Power Automate|Power Apps|Power Platform|Logic Apps|ACS)\b/i);
    expect(title).toMatch(/[A-Za-z0-9]$/);
  });

  it("FieldLengthNotInRange: a description of 30..500 characters, without product names", () => {
    expect(definition.info.description.length).toBeGreaterThanOrEqual(30);
    expect(definition.info.description.length).toBeLessThanOrEqual(500);
    expect(definition.info.description).not.toMatch(/Power Automate|Power Apps|Power Platform/);
  });

  it("ContactEmailNotValid, UrlNotValid, and Step 3b: a contact with a support team's name, URL and email", () => {
    expect(definition.info.contact).toEqual(PLACEHOLDER_CONTACT);
    expect(definition.info.contact.email).toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    expect(definition.info.contact.url).toMatch(/^https:\/\//);
  });

  it("ConnectorMetadataPropertiesMissing, InvalidConnectorCategory: Website, Privacy policy, Categories; nothing of Microsoft's as the project's", () => {
    const metadata = Object.fromEntries(definition["x-ms-connector-metadata"].map((entry: Json) => [entry.propertyName, entry.propertyValue]));
    expect(Object.keys(metadata).sort()).toEqual(["Categories", "Privacy policy", "Website"]);
    expect(metadata.Website).toMatch(/^https:\/\//);
    expect(metadata["Privacy policy"]).toMatch(/^https:\/\//);
    expect(metadata.Categories).toBe("Communication");
    expect(definitionText).not.toMatch(/microsoft\.com\/(privacy|azure\/communication)|learn\.microsoft\.com/);
  });

  it("OperationIdRequired, OperationIdNotUnique, OperationIdSanitized: PascalCase ids, each once", () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*$/);
  });

  it.each(operations.map(({ op }) => [op.operationId, op]))(
    "RestrictedCharactersInSummary, OperationSummaryTooLong, and the checklist's summaries and descriptions: %s",
    (_id, op) => {
      expect(op.summary.length).toBeLessThanOrEqual(80);
      expect(op.summary).toMatch(/^[A-Za-z0-9 ()]+$/);
      expect(isSentenceCase(op.summary), op.summary).toBe(true);
      expect(op.description).toMatch(/\.$/);
      expect(op.description).not.toBe(op.summary);
    },
  );

  it.each(operations.map(({ op }) => [op.operationId, op]))("x-ms-visibility on every operation (openapi-extensions.md): %s", (_id, op) => {
    expect(["important", "advanced", "internal"]).toContain(op["x-ms-visibility"]);
  });

  it("x-ms-visibility: the actions makers use most are important, the destructive ones advanced, the connector's own internal", () => {
    const visibility = Object.fromEntries(operations.map(({ op }) => [op.operationId, op["x-ms-visibility"]]));
    expect(visibility).toEqual({
      CreateUser: "important",
      IssueAccessToken: "important",
      RevokeAccessTokens: "advanced",
      DeleteUser: "advanced",
      ExchangeTeamsToken: "important",
      TestConnection: "internal",
      ListScopes: "internal",
    });
  });

  it.each(operations.map(({ op }) => [op.operationId, op]))(
    "OperationHasManyResponsesWithSchema, SchemaDefinitionSetIncorrectly, OperationShouldHaveSuccessfulResponse, DefaultResponseHasSchema: %s",
    (_id, op) => {
      const withSchema = Object.entries<Json>(op.responses).filter(([, response]) => response.schema);
      const successes = Object.entries<Json>(op.responses).filter(([code]) => code.startsWith("2"));
      expect(successes).toHaveLength(1);
      const [[code, success]] = successes as [[string, Json]];
      if (code === "204") {
        expect(success.schema).toBeUndefined();
        expect(withSchema).toEqual([]);
      } else {
        expect(["200", "201"]).toContain(code);
        expect(withSchema.map(([status]) => status)).toEqual([code]);
        const schema = resolve(success.schema);
        expect(schema.type).toBe("object");
        expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
      }
      expect(op.responses.default).toBeUndefined();
      const errors = Object.entries<Json>(op.responses).filter(([status]) => !status.startsWith("2"));
      expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(["401", "500"]));
      for (const [, response] of errors) {
        expect(response.description.length).toBeGreaterThan(10);
        expect(response.examples).toBeUndefined();
      }
    },
  );

  it.each(operations.map(({ op }) => [op.operationId, op]))(
    "MimeTypeNotValid, ConsumesMissing, BodyOrFormDataParameterInFetchOperationNotAllowed: %s",
    (_id, op) => {
      for (const list of [op.produces, op.consumes]) if (list) expect(list).toEqual(["application/json"]);
      const body = (op.parameters ?? []).some((parameter: Json) => parameter.in === "body");
      if (body) expect(op.consumes).toEqual(["application/json"]);
      expect(definitionText).not.toContain("application/problem+json");
      if (operations.find((entry) => entry.op === op)!.method === "get") expect(body).toBe(false);
    },
  );

  it("PathParameterMustBeRequired, PathParameterMissingEncoding: user id important, required, encoded once; expiry advanced", () => {
    const pathParameters = operations.flatMap(({ op }) => (op.parameters ?? []).filter((parameter: Json) => parameter.in === "path"));
    expect(pathParameters).toHaveLength(3);
    for (const parameter of pathParameters)
      expect(parameter).toMatchObject({ name: "userId", required: true, "x-ms-visibility": "important", "x-ms-url-encoding": "single" });
    for (const name of ["CreateUserRequest", "IssueAccessTokenRequest"]) {
      expect(definition.definitions[name].properties.expiresInMinutes["x-ms-visibility"]).toBe("advanced");
    }
  });

  it.each(operations.map(({ op }) => [op.operationId, op]))(
    "x-ms-summary and description on every parameter and field (the checklist's parameter summaries): %s",
    (_id, op) => {
      const checked: string[] = [];
      const check = (at: string, summary: unknown, description: unknown) => {
        checked.push(at);
        expect(typeof summary === "string" && isTitleCase(summary) && /^[A-Za-z0-9 ()]+$/.test(summary), `${at}: x-ms-summary ${JSON.stringify(summary)}`).toBe(
          true,
        );
        expect(typeof description === "string" && /[.]$/.test(description), `${at}: description ${JSON.stringify(description)}`).toBe(true);
      };
      for (const parameter of op.parameters ?? []) {
        check(parameter.name, parameter["x-ms-summary"], parameter.description);
        if (parameter.in === "body")
          for (const { at, property } of fields(definition, parameter.schema, "body"))
            check(at, annotation(definition, property, "x-ms-summary"), annotation(definition, property, "description"));
      }
      for (const [code, response] of Object.entries<Json>(op.responses)) {
        if (response.schema)
          for (const { at, property } of fields(definition, response.schema, code))
            check(at, annotation(definition, property, "x-ms-summary"), annotation(definition, property, "description"));
        for (const [name, header] of Object.entries<Json>(response.headers ?? {})) check(`${code} header ${name}`, header["x-ms-summary"], header.description);
      }
      if (op["x-ms-visibility"] !== "internal" && op.operationId !== "RevokeAccessTokens" && op.operationId !== "DeleteUser")
        expect(checked.length).toBeGreaterThan(2);
    },
  );

  // What the designer does with this (Azure/LogicAppsUX): getParameterDynamicValues
  // (libs/logic-apps-shared/src/parsers/lib/common/helpers/utils.ts) reads x-ms-dynamic-values from an array's items;
  // the array editor (libs/designer-ui/src/lib/arrayeditor/expandedsimplearray.tsx, util/util.ts
  // getComoboxEnumOptions) lists the loaded values, value-title shown and value-path sent, and never reads
  // x-ms-enum-values on items. So the choices must be here, on the items, from an operation answering a `value` array.
  it("OperationIdNotFound, InvokedOperationShouldProduceArray, InvokedOperationShouldProduceProperty: the scopes' x-ms-dynamic-values call ListScopes", () => {
    for (const name of ["CreateUserRequest", "IssueAccessTokenRequest"]) {
      const items = definition.definitions[name].properties.scopes.items;
      expect(items["x-ms-dynamic-values"]).toEqual({
        operationId: "ListScopes",
        "value-collection": "value",
        "value-path": "name",
        "value-title": "displayName",
      });
    }
    const listScopes = byId("ListScopes")!;
    expect(listScopes.method).toBe("get");
    expect(listScopes.op.parameters ?? []).toEqual([]);
    const list = resolve(listScopes.op.responses["200"].schema);
    expect(list.properties.value.type).toBe("array");
    const item = resolve(list.properties.value.items);
    expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(["name", "displayName"]));
    expect(item.required).toEqual(expect.arrayContaining(["name", "displayName"]));
  });

  it("x-ms-capabilities.testConnection names TestConnection: an internal GET with no parameters (test-connection.md)", () => {
    expect(definition["x-ms-capabilities"]).toEqual({ testConnection: { operationId: "TestConnection", parameters: {} } });
    const test = byId("TestConnection")!;
    expect([test.method, test.path]).toEqual(["get", "/v1/connection"]);
    expect(test.op.parameters ?? []).toEqual([]);
    expect(test.op["x-ms-visibility"]).toBe("internal");
  });

  it("SecurityRequirementMustBeDefined, SecurityRequirementMustHaveEmptyValue", () => {
    for (const requirement of definition.security) {
      for (const [name, scopes] of Object.entries(requirement)) {
        expect(definition.securityDefinitions[name], name).toBeDefined();
        expect(scopes).toEqual([]);
      }
    }
  });

  it("RequiredPropertyDefinitionMissing, RequiredPropertyArrayEmpty, TagRedefined", () => {
    for (const [name, schema] of Object.entries<Json>(definition.definitions)) {
      if (schema.required) {
        expect(schema.required.length, name).toBeGreaterThan(0);
        for (const property of schema.required) expect(schema.properties?.[property], `${name}.${property}`).toBeDefined();
      }
    }
    const tags = definition.tags.map((tag: Json) => tag.name);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it("Design an icon: 230x230 PNG on a solid background of iconBrandColor, which is neither #007ee5 nor white", () => {
    const color = properties.properties.iconBrandColor;
    expect(color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(color.toLowerCase()).not.toBe("#007ee5");
    expect(color.toLowerCase()).not.toBe("#ffffff");
    const { width, height, rows } = decodePng(icon);
    expect([width, height]).toEqual([230, 230]);
    const brand = parseHexColor(color);
    const pixel = (x: number, y: number) => Array.from(rows[y]!.subarray(x * 3, x * 3 + 3));
    for (const [x, y] of [
      [0, 0],
      [229, 0],
      [0, 229],
      [229, 229],
      [115, 5],
      [5, 115],
    ] as const)
      expect(pixel(x, y)).toEqual(brand);
    let background = 0;
    let glyph = 0;
    for (let y = 0; y < 230; y++) {
      for (let x = 0; x < 230; x++) {
        const [r, g, b] = pixel(x, y);
        if (r === brand[0] && g === brand[1] && b === brand[2]) background++;
        if (r === 255 && g === 255 && b === 255) glyph++;
      }
    }
    expect(background / 230 ** 2).toBeGreaterThan(0.6);
    expect(glyph / 230 ** 2).toBeGreaterThan(0.1);
  });

  it("Step 3a: publisher and stackOwner, in letters, digits and spaces", () => {
    expect(properties.properties.publisher).toBe(PLACEHOLDER_PUBLISHER.name);
    expect(properties.properties.stackOwner).toBe(PLACEHOLDER_PUBLISHER.name);
    expect(properties.properties.publisher).toMatch(/^[A-Za-z0-9 ]+$/);
  });

  it("one import for every deployment: a required Service URL connection parameter, read by the dynamichosturl policy", () => {
    const { serviceUrl } = properties.properties.connectionParameters;
    expect(serviceUrl).toMatchObject({ type: "string", uiDefinition: { displayName: "Service URL", constraints: { required: "true" } } });
    expect(serviceUrl.uiDefinition.description).toMatch(/https:\/\//);
    expect(properties.properties.policyTemplateInstances).toEqual([
      {
        templateId: "dynamichosturl",
        title: expect.any(String),
        parameters: { "x-ms-apimTemplateParameter.urlTemplate": "@connectionParameters('serviceUrl')" },
      },
    ]);
  });

  it("keeps the contract: paths, operationIds, summaries, success codes", () => {
    expect(
      operations.map(({ method, path, op }) => [method, path, op.operationId, op.summary, Object.keys(op.responses).find((code) => code.startsWith("2"))]),
    ).toEqual([
      ["post", "/v1/users", "CreateUser", "Create a user", "201"],
      ["post", "/v1/users/{userId}/tokens", "IssueAccessToken", "Issue a user access token", "200"],
      ["delete", "/v1/users/{userId}/tokens", "RevokeAccessTokens", "Revoke user access tokens", "204"],
      ["delete", "/v1/users/{userId}", "DeleteUser", "Delete a user", "204"],
      ["post", "/v1/teams/tokens", "ExchangeTeamsToken", "Exchange a Teams user token", "200"],
      ["get", "/v1/connection", "TestConnection", "Test the connection", "200"],
      ["get", "/v1/scopes", "ListScopes", "List token scopes", "200"],
    ]);
  });

  it("optional fields stay optional, never nullable", () => {
    const created = definition.definitions.CreatedUser;
    expect(created.required).toEqual(["userId"]);
    expect(created.properties.token.type).toBe("string");
    expect(definition.definitions.Problem.properties.errors.type).toBe("array");
    expect(definition.definitions.Problem.required).not.toContain("errors");
  });
});

describe("the connections", () => {
  it("the connection: api_key as a securestring for the X-API-Key header, with its labels", () => {
    expect(apiKeyVariant.definition.securityDefinitions).toEqual({ api_key: expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }) });
    expect(apiKeyVariant.definition.security).toEqual([{ api_key: [] }]);
    const { api_key: apiKey } = apiKeyVariant.properties.properties.connectionParameters;
    expect(apiKey.type).toBe("securestring");
    expect(apiKey.uiDefinition.displayName).toBeTruthy();
    expect(apiKey.uiDefinition.description).toContain("X-API-Key");
    expect(apiKey.uiDefinition.tooltip).toBeTruthy();
    expect(apiKey.uiDefinition.constraints.required).toBe("true");
    expect(apiKeyVariant.properties.properties.capabilities).toEqual([]);
    expect(Object.keys(apiKeyVariant.properties.properties.connectionParameters)).toEqual(["serviceUrl", "api_key"]);
  });

  it("Entra ID: an oauth2 accessCode definition at the common v1 endpoints, no scopes, as Power Platform writes it", () => {
    expect(entraVariant.definition.securityDefinitions).toEqual({
      "oauth2-auth": {
        type: "oauth2",
        flow: "accessCode",
        authorizationUrl: "https://login.windows.net/common/oauth2/authorize",
        tokenUrl: "https://login.windows.net/common/oauth2/token",
        scopes: {},
        description: expect.stringContaining("Microsoft Entra ID"),
      },
    });
    expect(entraVariant.definition.security).toEqual([{ "oauth2-auth": [] }]);
  });

  it("Entra ID: token as an aad oauthSetting for the service's audience, with placeholders for the app registrations", () => {
    const { connectionParameters } = entraVariant.properties.properties;
    expect(Object.keys(connectionParameters)).toEqual(["serviceUrl", "token", "token:TenantId"]);
    const { token } = connectionParameters;
    expect(token.type).toBe("oauthSetting");
    expect(token.oAuthSettings).toEqual({
      identityProvider: "aad",
      clientId: PLACEHOLDER_ENTRA.clientId,
      scopes: [],
      redirectMode: "GlobalPerConnector",
      redirectUrl: "https://global.consent.azure-apim.net/redirect",
      properties: { IsFirstParty: "False", AzureActiveDirectoryResourceId: PLACEHOLDER_ENTRA.audience },
      customParameters: {
        loginUri: { value: "https://login.microsoftonline.com" },
        tenantId: { value: PLACEHOLDER_ENTRA.tenantId },
        resourceUri: { value: PLACEHOLDER_ENTRA.audience },
        enableOnbehalfOfLogin: { value: "false" },
      },
    });
    expect(token.uiDefinition.displayName).toBeTruthy();
    expect(token.uiDefinition.constraints.required).toBe("true");
    expect(connectionParameters["token:TenantId"]).toEqual({
      type: "string",
      metadata: { sourceType: "AzureActiveDirectoryTenant" },
      uiDefinition: { constraints: { required: "false", hidden: "true" } },
    });
    expect(JSON.stringify(entraVariant.properties)).not.toMatch(/secret/i);
  });

  it("Entra ID: the file passes paconn's schema as it stands but for the two later additions", () => {
    const older = structuredClone(entraVariant.properties);
    const settings = older.properties.connectionParameters.token.oAuthSettings;
    expect(validator(draft07("paconn-apiProperties.schema.json"))(older)).toBe(false);
    settings.redirectMode = "Global";
    delete settings.customParameters.enableOnbehalfOfLogin;
    const validate = validator(draft07("paconn-apiProperties.schema.json"));
    expect(validate(older), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it("the variants differ in their connection alone: same actions, same icon, same colour", () => {
    const { securityDefinitions: _a, security: _b, ...apiKeyRest } = apiKeyVariant.definition;
    const { securityDefinitions: _c, security: _d, ...entraRest } = entraVariant.definition;
    expect(entraRest).toEqual(apiKeyRest);
    expect(entraVariant.icon).toBe(apiKeyVariant.icon);
    const { connectionParameters: _e, ...apiKeyProperties } = apiKeyVariant.properties.properties;
    const { connectionParameters: _f, ...entraProperties } = entraVariant.properties.properties;
    expect(entraProperties).toEqual(apiKeyProperties);
  });
});

const script = (...args: string[]) =>
  run(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/connector.ts", ...args], { cwd: ROOT });

/** Every file under a folder, by path relative to it. */
const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((path) => statSync(join(dir, path)).isFile());

const CLIENT_ID = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
const TENANT_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const AUDIENCE = `api://${TENANT_ID}/acs-identities`;

describe("connector/ and npm run connector", () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "connector-"));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("the committed connector/ and connector/entra/ are what the generator writes (run npm run connector after changing a route)", () => {
    expect(filesUnder(join(ROOT, "connector")).sort()).toEqual(Object.keys(generated).sort());
    expect(Object.keys(generated)).toEqual(
      expect.arrayContaining(["entra/apiDefinition.swagger.json", "entra/apiProperties.json", "entra/settings.json", "entra/icon.png"]),
    );
    for (const [name, content] of Object.entries(generated)) {
      if (name.endsWith(".png")) {
        // zlib builds may compress the same pixels differently: the picture is what must not drift.
        expect(decodePng(committed(name)), name).toEqual(decodePng(content as Buffer));
      } else {
        expect(committed(name).toString("utf8"), name).toBe(content);
      }
    }
  });

  it("what GET /swagger.json runs imports nothing from Node, and src/swagger2 nothing from the generator, so it runs on Cloudflare Workers too", () => {
    const files = ["src/loopback.ts", "src/once.ts", "src/routes/swagger.ts", ...readdirSync(join(ROOT, "src/swagger2")).map((name) => `src/swagger2/${name}`)];
    expect(files).toEqual(expect.arrayContaining(["src/swagger2/convert.ts", "src/swagger2/definition.ts", "src/swagger2/host.ts", "src/swagger2/types.ts"]));
    for (const file of files) {
      const source = readFileSync(join(ROOT, file), "utf8");
      expect(source, file).not.toMatch(/from "node:|require\(/);
      const allowed = [
        "../app-env.ts",
        "../errors.ts",
        "../response-headers.ts",
        "../swagger2/definition.ts",
        "../swagger2/host.ts",
        "../swagger2/types.ts",
        "../loopback.ts",
        "../once.ts",
        "./host.ts",
        "./convert.ts",
        "./types.ts",
      ];
      for (const [, target] of source.matchAll(/from "(\.[^"]+)"/g)) expect(allowed, `${file} imports ${target}`).toContain(target);
      // openapi3-ts is a model of types only: nothing of it is loaded at run time.
      for (const [statement] of source.matchAll(/^import (?!type ).*from "openapi3-ts[^"]*";$/gm)) expect.fail(`${file}: ${statement}`);
    }
  });

  it("writes the same output twice (no timestamps, stable key order)", () => {
    expect(connectorFiles()).toEqual(generated);
  });

  it("the README explains the Entra ID variant with the values in its files", () => {
    const readme = String(generated["README.md"]);
    expect(readme).toContain("## Sign in with Microsoft Entra ID (OAuth 2.0)");
    expect(readme).toContain("(#sign-in-with-microsoft-entra-id-oauth-20)");
    for (const text of [
      "Expose an API",
      "access_as_user",
      "ENTRA_REQUIRED_ROLE",
      "Client secret",
      "Redirect URL",
      "https://sts.windows.net/<tenant id>/",
      "--secret <client secret>",
      "Logic Apps",
    ])
      expect(readme).toContain(text);
    expect(readme).toContain(`| \`${PLACEHOLDER_ENTRA.audience}\` | \`--audience\` |`);
  });

  it("the README's error table has one row per status, each description once", () => {
    const readme = String(generated["README.md"]);
    const table = readme.slice(readme.indexOf("| status | when |"));
    const statuses = [...table.matchAll(/^\| (\d{3}) \|/gm)].map((match) => match[1]);
    expect(statuses).toEqual([...new Set(statuses)].sort());
    expect(statuses).toEqual(expect.arrayContaining(["400", "401", "404", "429", "500", "502", "504"]));
    const row400 = table.split("\n").find((line) => line.startsWith("| 400 |"))!;
    expect(row400.match(/Nothing was sent to ACS/g)).toHaveLength(1);
    expect(row400).toContain(
      "<br>**Exchange a Teams user token**: The request is not valid (validation_failed), or ACS rejected the Teams user's token (teams_token_rejected).",
    );
  });

  it("the README shows pac connector create beside paconn, with the files' names", () => {
    const readme = String(generated["README.md"]);
    expect(readme).toContain(
      "pac connector create --api-definition-file apiDefinition.swagger.json --api-properties-file apiProperties.json --icon-file icon.png",
    );
    expect(readme).toContain("pac connector update --connector-id <connector id> --api-definition-file apiDefinition.swagger.json");
    expect(readme).toContain("paconn create --api-def apiDefinition.swagger.json --api-prop apiProperties.json --icon icon.png");
  });

  it("the README says which host the files were written for, or that it is a placeholder", () => {
    expect(String(generated["README.md"])).toContain(
      "The committed files name the placeholder host `acs-identity-connector.example.com`: Power Automate and Power Apps never use it",
    );
    const forHost = String(connectorFiles({ host: "identities.contoso.com" })["README.md"]);
    expect(forHost).toContain("These files were written for host `identities.contoso.com`.");
    expect(forHost).not.toContain("placeholder host");
  });

  it("npm run connector -- --host example.org --base-path /identities writes both variants for that host", async () => {
    const { stdout } = await script("--host", "example.org", "--base-path", "/identities", "--out", out);
    expect(stdout).toContain("Wrote apiDefinition.swagger.json");
    for (const { folder, definition } of variants) {
      const written = JSON.parse(readFileSync(join(out, folder, "apiDefinition.swagger.json"), "utf8"));
      expect(written).toEqual({ ...definition, host: "example.org", basePath: "/identities" });
    }
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toContain("https://example.org/identities/swagger.json");
    expect(readme).toContain("These files were written for host `example.org` and base path `/identities`.");
    // Folders are named relative to the README, so the instructions hold in any --out folder.
    expect(readme).not.toContain("connector/entra");
    expect(readme).toContain("cd entra/\n");
    expect(readme).toContain("The values in `entra/apiProperties.json`:");
    expect(readFileSync(join(out, "apiProperties.json"), "utf8")).toBe(generated["apiProperties.json"]);
    expect(readFileSync(join(out, "entra/apiProperties.json"), "utf8")).toBe(generated["entra/apiProperties.json"]);
  });

  it("--client-id, --tenant-id and --audience fill the Entra ID variant's connection and the README", async () => {
    const dir = join(out, "entra-flags");
    await script("--client-id", CLIENT_ID.toUpperCase(), "--tenant-id", TENANT_ID, "--audience", AUDIENCE, "--out", dir);
    const { token } = JSON.parse(readFileSync(join(dir, "entra/apiProperties.json"), "utf8")).properties.connectionParameters;
    expect(token.oAuthSettings.clientId).toBe(CLIENT_ID);
    expect(token.oAuthSettings.properties.AzureActiveDirectoryResourceId).toBe(AUDIENCE);
    expect(token.oAuthSettings.customParameters).toMatchObject({ tenantId: { value: TENANT_ID }, resourceUri: { value: AUDIENCE } });
    const validate = validator(paconnPropertiesSchema());
    expect(validate({ properties: { ...entraVariant.properties.properties, connectionParameters: { token } } })).toBe(true);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    for (const value of [CLIENT_ID, TENANT_ID, AUDIENCE]) expect(readme).toContain(`\`${value}\``);
    expect(readme).not.toContain(PLACEHOLDER_ENTRA.clientId);
    // The API key variant does not depend on them.
    expect(readFileSync(join(dir, "apiProperties.json"), "utf8")).toBe(generated["apiProperties.json"]);
  });

  it("--publisher, --contact-name, --contact-email, --website and --privacy-policy fill the contact, the metadata and apiProperties.json", async () => {
    const dir = join(out, "publisher-flags");
    await script(
      "--publisher",
      "Contoso",
      "--contact-name",
      "Contoso support",
      "--contact-email",
      "support@contoso.com",
      "--website",
      "https://contoso.com/identities",
      "--privacy-policy",
      "https://contoso.com/privacy",
      "--out",
      dir,
    );
    for (const folder of ["", "entra/"]) {
      const definition = JSON.parse(readFileSync(join(dir, folder, "apiDefinition.swagger.json"), "utf8"));
      expect(definition.info.contact).toEqual({ name: "Contoso support", url: "https://contoso.com/identities", email: "support@contoso.com" });
      expect(definition["x-ms-connector-metadata"].slice(0, 2)).toEqual([
        { propertyName: "Website", propertyValue: "https://contoso.com/identities" },
        { propertyName: "Privacy policy", propertyValue: "https://contoso.com/privacy" },
      ]);
      const { properties } = JSON.parse(readFileSync(join(dir, folder, "apiProperties.json"), "utf8"));
      expect([properties.publisher, properties.stackOwner]).toEqual(["Contoso", "Contoso"]);
    }
  });

  it.each([
    ["--host", "https://example.org", "host name"],
    ["--host", "exa mple.org", "host name"],
    ["--base-path", "identities", "base path"],
    ["--client-id", "not-a-guid", "client id"],
    ["--client-id", `${CLIENT_ID}0`, "client id"],
    ["--tenant-id", "common", "tenant id"],
    ["--audience", "http://identities.contoso.com", "audience"],
    ["--audience", "identities", "audience"],
    ["--audience", "api://", "audience"],
    ["--audience", "api://acs identities", "audience"],
    ["--audience", "https://contoso.com/api?x=1", "audience"],
    ["--contact-email", "support.contoso.com", "contact email"],
    ["--website", "http://contoso.com", "website"],
    ["--privacy-policy", "contoso.com/privacy", "privacy policy URL"],
    ["--publisher", "Contoso, Inc.", "publisher name"],
  ])("refuses %s %s with a one-line reason", async (flag, value, what) => {
    const result = await script(flag, value, "--out", join(out, "refused")).catch((error) => error);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^connector: Not a valid ${what}[^\n]*\n$`));
    expect(existsSync(join(out, "refused"))).toBe(false);
  });
});

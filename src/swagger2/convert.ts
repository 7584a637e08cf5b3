/**
 * OpenAPI 3.0/3.1 -> Swagger 2.0, for Power Platform and Logic Apps, which read Swagger 2.0 only.
 *
 * Written here rather than taken from npm: the converters there go the other way (swagger2openapi), only from 3.1
 * to 3.0 (@apiture/openapi-down-convert), or, like api-spec-converter, are unmaintained, pull in Node-only
 * dependencies (request, sway) that cannot run on Cloudflare Workers, and drop what Swagger 2.0 cannot say
 * (oneOf, nullable) without a word. This one is pure JS and works from allow-lists: every key it does not know
 * how to carry over is reported, with its JSON pointer, in one ConversionError. Nothing is dropped silently.
 */

import type {
  oas31,
  OpenApiDocument,
  Swagger2Document,
  Swagger2Operation,
  Swagger2Parameter,
  Swagger2PathItem,
  Swagger2Response,
  Swagger2Schema,
  Swagger2SecurityScheme,
} from "./types.ts";

type Schema = oas31.SchemaObject | oas31.ReferenceObject;
/** Any node of the document, read by key: the converter checks every key it meets, whatever the model declares. */
type Node = { readonly [key: string]: unknown };
const keys = (node: object): Node => node as Node;

export class ConversionError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Cannot convert the OpenAPI document to Swagger 2.0:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConversionError";
    this.problems = problems;
  }
}

/** The operations a Swagger 2.0 path item can hold. */
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

/** Swagger 2.0 schema keywords that mean the same in OpenAPI 3 and are copied as they are. */
const SCHEMA_COPIED = [
  "title",
  "description",
  "format",
  "default",
  "multipleOf",
  "maximum",
  "minimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "required",
  "enum",
  "readOnly",
  "xml",
  "externalDocs",
  "example",
];

/** What a non-body parameter, a response header or their `items` may carry in Swagger 2.0 besides type and items. */
const SIMPLE_COPIED = [
  "format",
  "default",
  "maximum",
  "minimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "enum",
  "multipleOf",
];

/** Where OpenAPI 3 puts what Swagger 2.0 keeps at the top. */
const REF_PREFIXES: [string, string][] = [
  ["#/components/schemas/", "#/definitions/"],
  ["#/components/parameters/", "#/parameters/"],
  ["#/components/responses/", "#/responses/"],
];

/** OpenAPI 3.1 keywords that have a Swagger 2.0 spelling (see numeric()). */
const NUMERIC = ["exclusiveMinimum", "exclusiveMaximum", "const"];

const isExtension = (key: string) => key.startsWith("x-");
const isEmpty = (value: unknown): boolean => value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
/** A JSON pointer (RFC 6901) one or more keys below `path`. */
const pointer = (path: string, ...keys: (string | number)[]) => [path, ...keys.map((key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1"))].join("/");

/** Why a keyword cannot be carried over, for the ones a reader is likely to meet. */
const REFUSALS: Record<string, string> = {
  oneOf: "oneOf (a choice between schemas) has no Swagger 2.0 equivalent",
  anyOf: "anyOf (a choice between schemas) has no Swagger 2.0 equivalent",
  not: "not has no Swagger 2.0 equivalent",
  nullable: "nullable: true has no Swagger 2.0 equivalent; leave the field out instead of sending null",
  writeOnly: "writeOnly has no Swagger 2.0 equivalent",
  deprecated: "a deprecated schema has no Swagger 2.0 equivalent",
  examples: "several examples have no Swagger 2.0 equivalent; give one example",
};

export function toSwagger2(document: OpenApiDocument): Swagger2Document {
  return new Converter(document).convert();
}

class Converter {
  private readonly problems: string[] = [];
  private readonly document: OpenApiDocument;

  constructor(document: OpenApiDocument) {
    this.document = document;
  }

  convert(): Swagger2Document {
    const doc = this.document;
    if (typeof doc.openapi !== "string" || !/^3\.[01]\./.test(doc.openapi)) {
      throw new ConversionError([`#/openapi: expected an OpenAPI 3.0 or 3.1 document, got ${JSON.stringify(doc.openapi)}`]);
    }
    const out: Swagger2Document = { swagger: "2.0", info: this.info(doc.info ?? {}), paths: {} };
    Object.assign(out, this.servers(doc.servers));
    out.paths = this.paths(doc.paths ?? {});
    const components: oas31.ComponentsObject = doc.components ?? {};
    this.checkKeys(components, "#/components", ["schemas", "parameters", "responses", "securitySchemes"], {
      requestBodies: "shared request bodies are not supported by this converter; define the body on the operation",
    });
    const definitions = this.mapObject(components.schemas, "#/components/schemas", (schema, path) => this.schema(schema, path));
    if (definitions) out.definitions = definitions;
    const parameters = this.mapObject(components.parameters, "#/components/parameters", (parameter, path) => this.parameter(parameter, path));
    if (parameters) out.parameters = parameters;
    const responses = this.mapObject(components.responses, "#/components/responses", (response, path) => this.response(response, path).response);
    if (responses) out.responses = responses;
    const securityDefinitions = this.mapObject(components.securitySchemes, "#/components/securitySchemes", (scheme, path) => this.securityScheme(scheme, path));
    if (securityDefinitions) out.securityDefinitions = securityDefinitions;
    if (doc.security) out.security = doc.security;
    if (doc.tags) out.tags = doc.tags.map((tag, i) => this.tag(tag, pointer("#/tags", i)));
    if (doc.externalDocs) out.externalDocs = doc.externalDocs;
    this.checkKeys(doc, "#", ["openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs"], {
      webhooks: "webhooks have no Swagger 2.0 equivalent",
      jsonSchemaDialect: "jsonSchemaDialect has no Swagger 2.0 equivalent",
    });
    copyExtensions(doc, out);
    if (this.problems.length) throw new ConversionError(this.problems);
    return out;
  }

  private fail(path: string, message: string) {
    this.problems.push(`${path}: ${message}`);
  }

  /** Reports every key that is neither known, nor an extension, nor empty; `refusals` explain the common ones. */
  private checkKeys(object: object, path: string, known: readonly string[], refusals: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(object)) {
      if (known.includes(key) || isExtension(key) || (key in refusals && isEmpty(value))) continue;
      this.fail(pointer(path, key), refusals[key] ?? REFUSALS[key] ?? `${key} has no Swagger 2.0 equivalent`);
    }
  }

  private mapObject<T, U>(object: Record<string, T> | undefined, path: string, map: (value: T, path: string) => U): Record<string, U> | undefined {
    if (!object || isEmpty(object)) return undefined;
    return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value, pointer(path, key))]));
  }

  private info(info: oas31.InfoObject): oas31.InfoObject {
    this.checkKeys(info, "#/info", ["title", "description", "termsOfService", "contact", "license", "version"]);
    if (info.license) this.checkKeys(info.license, "#/info/license", ["name", "url"]);
    return { ...info };
  }

  /** One server at most: its host and path become host, basePath and schemes. */
  private servers(servers: oas31.ServerObject[] | undefined): Pick<Swagger2Document, "host" | "basePath" | "schemes"> {
    if (!servers?.length) return {};
    if (servers.length > 1) {
      this.fail("#/servers", "several servers have no Swagger 2.0 equivalent (one host and basePath only)");
      return {};
    }
    const server = servers[0]!;
    this.checkKeys(server, "#/servers/0", ["url", "description"], { variables: "server variables have no Swagger 2.0 equivalent" });
    if (!/^https?:\/\//.test(server.url)) return { basePath: server.url || "/" };
    const url = new URL(server.url);
    return { host: url.host, basePath: url.pathname, schemes: [url.protocol.slice(0, -1)] };
  }

  private paths(paths: oas31.PathsObject): Record<string, Swagger2PathItem> {
    const out: Record<string, Swagger2PathItem> = {};
    for (const [route, item] of Object.entries(paths)) {
      const path = pointer("#/paths", route);
      this.checkKeys(item, path, [...METHODS, "parameters"], { trace: "the TRACE method has no Swagger 2.0 equivalent" });
      const converted: Swagger2PathItem = {};
      for (const method of METHODS) {
        if (item[method]) converted[method] = this.operation(item[method], pointer(path, method));
      }
      if (item.parameters) converted.parameters = item.parameters.map((parameter, i) => this.parameter(parameter, pointer(path, "parameters", i)));
      copyExtensions(item, converted);
      out[route] = converted;
    }
    return out;
  }

  private operation(operation: oas31.OperationObject, path: string): Swagger2Operation {
    this.checkKeys(
      operation,
      path,
      ["tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "deprecated", "security"],
      {
        callbacks: "callbacks have no Swagger 2.0 equivalent",
        servers: "per-operation servers have no Swagger 2.0 equivalent",
      },
    );
    const out: Partial<Swagger2Operation> = {};
    for (const key of ["tags", "summary", "description", "externalDocs", "operationId"])
      if (keys(operation)[key] !== undefined) out[key] = keys(operation)[key];
    const parameters = (operation.parameters ?? []).map((parameter, i) => this.parameter(parameter, pointer(path, "parameters", i)));
    if (operation.requestBody) {
      const { parameter, mediaType } = this.requestBody(operation.requestBody, pointer(path, "requestBody"));
      parameters.push(parameter);
      if (mediaType) out.consumes = [mediaType];
    }
    if (parameters.length) out.parameters = parameters;
    const responses: Record<string, Swagger2Response> = {};
    const produces: string[] = [];
    for (const [status, response] of Object.entries<oas31.ResponseObject | oas31.ReferenceObject>(operation.responses ?? {})) {
      const converted = this.response(response, pointer(path, "responses", status));
      responses[status] = converted.response;
      if (converted.mediaType && !produces.includes(converted.mediaType)) produces.push(converted.mediaType);
    }
    if (produces.length) out.produces = produces;
    out.responses = responses;
    if (operation.deprecated !== undefined) out.deprecated = operation.deprecated;
    if (operation.security) out.security = operation.security;
    copyExtensions(operation, out);
    return { ...out, responses };
  }

  /** The single media type of a body, or a refusal: Swagger 2.0 gives a body one schema, whatever its type. */
  private singleMedia(content: oas31.ContentObject | undefined, path: string): { mediaType?: string; media?: oas31.MediaTypeObject } {
    const entries = Object.entries(content ?? {});
    if (entries.length === 0) return {};
    if (entries.length > 1) {
      this.fail(path, `several media types (${entries.map(([type]) => type).join(", ")}) have no Swagger 2.0 equivalent: one schema per body`);
      return {};
    }
    const [mediaType, media] = entries[0]!;
    this.checkKeys(media, pointer(path, mediaType), ["schema", "example"], { encoding: "encoding has no Swagger 2.0 equivalent" });
    return { mediaType, media };
  }

  private requestBody(body: oas31.RequestBodyObject | oas31.ReferenceObject, path: string): { parameter: Swagger2Parameter; mediaType?: string } {
    if ("$ref" in body) {
      this.fail(path, "a $ref to a shared request body is not supported by this converter; define the body on the operation");
      return { parameter: {} };
    }
    this.checkKeys(body, path, ["description", "content", "required"]);
    const { mediaType, media } = this.singleMedia(body.content, pointer(path, "content"));
    if (mediaType && /^(application\/x-www-form-urlencoded|multipart\/)/.test(mediaType)) {
      this.fail(pointer(path, "content", mediaType), "form bodies (formData parameters) are not supported by this converter");
    }
    const parameter: Swagger2Parameter = { name: "body", in: "body", required: body.required ?? false };
    if (body.description !== undefined) parameter.description = body.description;
    parameter.schema = media?.schema ? this.schema(media.schema, pointer(path, "content", mediaType!, "schema")) : {};
    copyExtensions(body, parameter);
    return { parameter, ...(mediaType && { mediaType }) };
  }

  private response(response: oas31.ResponseObject | oas31.ReferenceObject, path: string): { response: Swagger2Response; mediaType?: string } {
    if ("$ref" in response) return { response: { $ref: this.ref(response.$ref, path) } };
    this.checkKeys(response, path, ["description", "headers", "content"], { links: "links have no Swagger 2.0 equivalent" });
    const out: Swagger2Response = { description: response.description ?? "" };
    const { mediaType, media } = this.singleMedia(response.content, pointer(path, "content"));
    if (media?.schema) out.schema = this.schema(media.schema, pointer(path, "content", mediaType!, "schema"));
    if (media?.example !== undefined) out.examples = { [mediaType!]: media.example };
    if (response.headers) {
      out.headers = Object.fromEntries(Object.entries(response.headers).map(([name, header]) => [name, this.header(header, pointer(path, "headers", name))]));
    }
    copyExtensions(response, out);
    return { response: out, ...(mediaType && { mediaType }) };
  }

  private header(given: oas31.HeaderObject | oas31.ReferenceObject, path: string): Swagger2Schema {
    if (given.$ref !== undefined) {
      this.fail(path, "a $ref to a shared header is not supported by this converter; define the header on the response");
      return {};
    }
    const header = given as oas31.HeaderObject;
    this.checkKeys(header, path, ["description", "schema", "required"], { content: "a header described by content has no Swagger 2.0 equivalent" });
    if (header.required) this.fail(pointer(path, "required"), "a required response header has no Swagger 2.0 equivalent");
    const out: Swagger2Schema = {};
    const [schema] = this.resolve(header.schema ?? {}, pointer(path, "schema"));
    const description = header.description ?? schema.description;
    if (description !== undefined) out.description = description;
    Object.assign(out, this.simple(schema, pointer(path, "schema"), "documented"));
    copyExtensions(header, out);
    return out;
  }

  /** A path, query or header parameter: Swagger 2.0 puts the schema's keywords on the parameter itself. */
  private parameter(parameter: oas31.ParameterObject | oas31.ReferenceObject, path: string): Swagger2Parameter {
    if ("$ref" in parameter) return { $ref: this.ref(parameter.$ref, path) };
    this.checkKeys(parameter, path, ["name", "in", "description", "required", "schema", "example", "style", "explode"], {
      content: "a parameter described by content has no Swagger 2.0 equivalent",
      allowReserved: "allowReserved has no Swagger 2.0 equivalent",
      allowEmptyValue: "allowEmptyValue is not supported by this converter",
    });
    if (!["path", "query", "header"].includes(parameter.in)) this.fail(pointer(path, "in"), `${parameter.in} parameters have no Swagger 2.0 equivalent`);
    const [schema] = this.resolve(parameter.schema ?? {}, pointer(path, "schema"));
    const out: Swagger2Parameter = { name: parameter.name, in: parameter.in };
    const description = parameter.description ?? schema.description;
    if (description !== undefined) out.description = description;
    out.required = parameter.required ?? false;
    // The schema's annotations first (simple() copies them), the parameter's own over them.
    Object.assign(out, this.simple(schema, pointer(path, "schema"), "documented"));
    const collectionFormat = this.collectionFormat(parameter, schema, path);
    if (collectionFormat) out.collectionFormat = collectionFormat;
    // Swagger 2.0 has no example on a non-body parameter; x-example is the convention tools read (swagger2openapi too).
    const example = parameter.example ?? schema.example;
    if (example !== undefined) out["x-example"] = example;
    copyExtensions(parameter, out);
    return out;
  }

  /** OpenAPI 3's style and explode, as Swagger 2.0's collectionFormat for arrays. */
  private collectionFormat(parameter: oas31.ParameterObject, schema: oas31.SchemaObject, path: string): string | undefined {
    const style = parameter.style ?? (parameter.in === "query" ? "form" : "simple");
    const explode = parameter.explode ?? style === "form";
    if (schema.type !== "array") {
      if (parameter.style !== undefined && style !== (parameter.in === "query" ? "form" : "simple"))
        this.fail(pointer(path, "style"), `style ${style} has no Swagger 2.0 equivalent for a ${schema.type ?? "untyped"} parameter`);
      return undefined;
    }
    if (style === "form") return explode ? "multi" : "csv";
    if (style === "simple") return "csv"; // exploded or not, a simple array is comma-separated
    if (style === "spaceDelimited" && !explode) return "ssv";
    if (style === "pipeDelimited" && !explode) return "pipes";
    this.fail(pointer(path, "style"), `style ${style} with explode ${explode} has no Swagger 2.0 collectionFormat`);
    return undefined;
  }

  /**
   * The keywords of a parameter's or header's schema, flattened onto it; `items` recursively. The caller takes the
   * top schema's description and example (`documented`); Swagger 2.0's `items` has no place for them.
   */
  private simple(given: Schema, path: string, where: "documented" | "items", seen: readonly string[] = []): Swagger2Schema {
    const [schema, followed] = this.resolve(given, path, seen);
    const documentation = where === "documented" ? ["description", "example"] : [];
    this.checkKeys(schema, path, ["type", "items", "nullable", ...SIMPLE_COPIED, ...documentation, ...NUMERIC], REFUSALS);
    const out: Swagger2Schema = {};
    const type = this.type(schema, path);
    if (type === "object") this.fail(pointer(path, "type"), "an object has no Swagger 2.0 equivalent outside a body");
    if (type !== undefined) out.type = type;
    Object.assign(out, this.numeric(schema, path));
    for (const key of SIMPLE_COPIED) if (keys(schema)[key] !== undefined) out[key] = keys(schema)[key];
    if (schema.items) out.items = this.simple(schema.items, pointer(path, "items"), "items", followed);
    copyExtensions(schema, out);
    return out;
  }

  /** 3.1's numeric exclusive bounds become 2.0's boolean ones; `const` becomes a one-value enum. */
  private numeric(schema: oas31.SchemaObject, path: string): Swagger2Schema {
    const out: Swagger2Schema = {};
    for (const [exclusive, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      const value = schema[exclusive];
      if (typeof value === "number" && schema[bound] !== undefined)
        this.fail(pointer(path, exclusive), `give either ${bound} or a numeric ${exclusive}, not both`);
      else if (typeof value === "number") Object.assign(out, { [bound]: value, [exclusive]: true });
      else if (value !== undefined) out[exclusive] = value;
    }
    if (schema.const !== undefined) {
      if (schema.enum !== undefined) this.fail(pointer(path, "const"), "give either const or enum, not both");
      out.enum = [schema.const];
    }
    return out;
  }

  /** A single type name; type arrays (3.1's nullable unions) and `null` are refused. */
  private type(schema: oas31.SchemaObject, path: string): string | undefined {
    const type = schema.type;
    if (Array.isArray(type)) {
      this.fail(
        pointer(path, "type"),
        type.includes("null")
          ? `a nullable union (${type.join(" | ")}) has no Swagger 2.0 equivalent; leave the field out instead of sending null`
          : `a union of types (${type.join(" | ")}) has no Swagger 2.0 equivalent`,
      );
      return undefined;
    }
    if (type === "null") this.fail(pointer(path, "type"), "the null type has no Swagger 2.0 equivalent");
    if (keys(schema).nullable === true) this.fail(pointer(path, "nullable"), REFUSALS.nullable!);
    return type;
  }

  /**
   * Follows a $ref to a component schema, for places where Swagger 2.0 needs the keywords inline; also returns the
   * refs followed to get there. A ref already in `seen` closes a cycle, which has no keywords to inline: reported.
   */
  private resolve(schema: Schema, path: string, seen: readonly string[] = []): [oas31.SchemaObject, readonly string[]] {
    if (schema.$ref === undefined) return [schema as oas31.SchemaObject, seen];
    if (seen.includes(schema.$ref)) {
      this.fail(pointer(path, "$ref"), `${[...seen, schema.$ref].join(" -> ")} is a cycle of $refs`);
      return [{}, seen];
    }
    const prefix = "#/components/schemas/";
    const target =
      typeof schema.$ref === "string" && schema.$ref.startsWith(prefix) ? this.document.components?.schemas?.[schema.$ref.slice(prefix.length)] : undefined;
    if (!target) {
      this.fail(pointer(path, "$ref"), `cannot resolve ${schema.$ref}`);
      return [{}, seen];
    }
    return this.resolve(target, path, [...seen, schema.$ref]);
  }

  private schema(given: Schema, path: string): Swagger2Schema {
    if (given.$ref !== undefined) {
      const siblings = Object.keys(given).filter((key) => key !== "$ref");
      if (siblings.length) this.fail(path, `Swagger 2.0 ignores keywords beside $ref (${siblings.join(", ")}); put them on the referenced schema`);
      return { $ref: this.ref(given.$ref, path) };
    }
    const schema = given as oas31.SchemaObject;
    this.checkKeys(
      schema,
      path,
      ["type", "items", "properties", "additionalProperties", "allOf", "discriminator", "nullable", ...SCHEMA_COPIED, ...NUMERIC],
      REFUSALS,
    );
    const out: Swagger2Schema = {};
    const type = this.type(schema, path);
    if (type !== undefined) out.type = type;
    for (const key of SCHEMA_COPIED) if (keys(schema)[key] !== undefined) out[key] = keys(schema)[key];
    Object.assign(out, this.numeric(schema, path));
    if (schema.items !== undefined) {
      if (typeof schema.items !== "object" || Array.isArray(schema.items)) this.fail(pointer(path, "items"), "items must be one schema in Swagger 2.0");
      else out.items = this.schema(schema.items, pointer(path, "items"));
    }
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([name, property]) => [name, this.schema(property, pointer(path, "properties", name))]),
      );
    }
    if (schema.additionalProperties !== undefined) {
      out.additionalProperties =
        typeof schema.additionalProperties === "boolean"
          ? schema.additionalProperties
          : this.schema(schema.additionalProperties, pointer(path, "additionalProperties"));
    }
    if (schema.allOf) out.allOf = schema.allOf.map((part, i) => this.schema(part, pointer(path, "allOf", i)));
    if (schema.discriminator !== undefined) {
      if (schema.discriminator.mapping) this.fail(pointer(path, "discriminator"), "a discriminator mapping has no Swagger 2.0 equivalent");
      else out.discriminator = schema.discriminator.propertyName;
    }
    copyExtensions(schema, out);
    return out;
  }

  private ref(ref: string, path: string): string {
    for (const [from, to] of REF_PREFIXES) if (ref.startsWith(from)) return to + ref.slice(from.length);
    this.fail(pointer(path, "$ref"), `${ref} cannot be rewritten: only #/components/schemas, parameters and responses have Swagger 2.0 places`);
    return ref;
  }

  private securityScheme(scheme: oas31.SecuritySchemeObject | oas31.ReferenceObject, path: string): Swagger2SecurityScheme {
    const out: Swagger2SecurityScheme = { type: "" };
    if ("$ref" in scheme) {
      this.fail(path, "a $ref to a shared security scheme is not supported by this converter");
      return out;
    }
    const description = scheme.description !== undefined ? { description: scheme.description } : {};
    if (scheme.type === "apiKey" && (scheme.in === "header" || scheme.in === "query")) {
      this.checkKeys(scheme, path, ["type", "name", "in", "description"]);
      Object.assign(out, { type: "apiKey", name: scheme.name, in: scheme.in }, description);
    } else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") {
      this.checkKeys(scheme, path, ["type", "scheme", "description"]);
      Object.assign(out, { type: "basic" }, description);
    } else if (scheme.type === "oauth2") {
      this.checkKeys(scheme, path, ["type", "flows", "description"]);
      Object.assign(out, this.oauth2(scheme.flows ?? {}, pointer(path, "flows")), description);
    } else {
      const what = scheme.type === "http" ? `http ${scheme.scheme}` : scheme.type === "apiKey" ? `apiKey in ${scheme.in}` : scheme.type;
      this.fail(path, `the ${what} security scheme has no Swagger 2.0 equivalent`);
    }
    copyExtensions(scheme, out);
    return out;
  }

  /** Swagger 2.0 gives an oauth2 scheme one flow, named differently. */
  private oauth2(flows: oas31.OAuthFlowsObject, path: string): Swagger2SecurityScheme {
    const names: Record<string, string> = { implicit: "implicit", password: "password", clientCredentials: "application", authorizationCode: "accessCode" };
    // Every key counts, extensions too: one that is not a flow is refused below rather than dropped.
    const entries = Object.entries(flows) as [string, oas31.OAuthFlowObject][];
    if (entries.length !== 1) {
      this.fail(path, `an oauth2 scheme needs exactly one flow in Swagger 2.0, this one has ${entries.length}`);
      return { type: "oauth2" };
    }
    const [flow, settings] = entries[0]!;
    if (!names[flow]) this.fail(pointer(path, flow), `the ${flow} flow has no Swagger 2.0 equivalent`);
    this.checkKeys(settings, pointer(path, flow), ["authorizationUrl", "tokenUrl", "scopes"], { refreshUrl: "refreshUrl has no Swagger 2.0 equivalent" });
    const out: Swagger2SecurityScheme = { type: "oauth2", flow: names[flow] };
    if (settings.authorizationUrl !== undefined) out.authorizationUrl = settings.authorizationUrl;
    if (settings.tokenUrl !== undefined) out.tokenUrl = settings.tokenUrl;
    out.scopes = settings.scopes ?? {};
    return out;
  }

  private tag(tag: oas31.TagObject, path: string): oas31.TagObject {
    this.checkKeys(tag, path, ["name", "description", "externalDocs"]);
    return { ...tag };
  }
}

function copyExtensions(from: object, to: Record<string, unknown>) {
  for (const [key, value] of Object.entries(from)) if (isExtension(key)) to[key] = value;
}

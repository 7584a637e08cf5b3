import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { ConversionError, toSwagger2 as convert } from "../src/swagger2/convert.ts";

/** The converter reads any JSON a caller hands it, well-formed or not: these tests give it both. */
const toSwagger2 = (document: Record<string, any>): Record<string, any> => convert(document as never);

/** A minimal OpenAPI 3.1 document around the given parts. */
function doc(parts: Record<string, any> = {}): Record<string, any> {
  return { openapi: "3.1.0", info: { title: "T", version: "1" }, paths: {}, ...parts };
}

/** One operation, POST /things/{id}, with the given fields. */
function op(operation: Record<string, any>, components: Record<string, any> = {}) {
  return doc({ paths: { "/things/{id}": { post: { responses: { 204: { description: "Done." } }, ...operation } } }, components });
}

const converted = (document: Record<string, any>) => toSwagger2(document).paths["/things/{id}"].post;

function refusal(document: Record<string, any>): ConversionError {
  try {
    toSwagger2(document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return error as ConversionError;
  }
  throw new Error("expected a ConversionError");
}

describe("toSwagger2: what it carries over", () => {
  it("writes a Swagger 2.0 document that swagger-parser accepts", async () => {
    const out = toSwagger2(
      op(
        { operationId: "MakeThing", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }] },
        { schemas: { Thing: { type: "object" } } },
      ),
    );
    expect(out.swagger).toBe("2.0");
    expect(out).not.toHaveProperty("openapi");
    expect(out).not.toHaveProperty("components");
    await expect(SwaggerParser.validate(structuredClone(out) as never)).resolves.toBeDefined();
  });

  it("info, tags, security and extensions as they are", () => {
    const out = toSwagger2(
      doc({
        info: { title: "T", version: "1", description: "D.", contact: { name: "C", url: "https://c.example" }, license: { name: "MIT" } },
        tags: [{ name: "Users", description: "U." }],
        security: [{ ApiKey: [] }],
        "x-ms-connector-metadata": [{ propertyName: "Categories", propertyValue: "Communication" }],
      }),
    );
    expect(out.info).toEqual({ title: "T", version: "1", description: "D.", contact: { name: "C", url: "https://c.example" }, license: { name: "MIT" } });
    expect(out.tags).toEqual([{ name: "Users", description: "U." }]);
    expect(out.security).toEqual([{ ApiKey: [] }]);
    expect(out["x-ms-connector-metadata"]).toEqual([{ propertyName: "Categories", propertyValue: "Communication" }]);
  });

  it("one server becomes host, basePath and schemes; a relative one basePath", () => {
    expect(toSwagger2(doc({ servers: [{ url: "https://api.example.com:8443/v2" }] }))).toMatchObject({
      host: "api.example.com:8443",
      basePath: "/v2",
      schemes: ["https"],
    });
    expect(toSwagger2(doc({ servers: [{ url: "/base" }] }))).toMatchObject({ basePath: "/base" });
  });

  it("path parameters: the schema's keywords on the parameter, its annotations under the parameter's own", () => {
    const out = converted(
      op({
        parameters: [
          {
            name: "id",
            in: "path",
            required: true,
            description: "The id.",
            "x-ms-summary": "Thing ID",
            "x-ms-url-encoding": "single",
            schema: {
              type: "string",
              pattern: "^[a-z]+$",
              minLength: 2,
              description: "Schema's.",
              example: "abc",
              "x-ms-summary": "Schema's",
              "x-ms-visibility": "important",
            },
          },
        ],
      }),
    );
    expect(out.parameters).toEqual([
      {
        name: "id",
        in: "path",
        description: "The id.",
        required: true,
        type: "string",
        pattern: "^[a-z]+$",
        minLength: 2,
        "x-ms-summary": "Thing ID",
        "x-ms-visibility": "important",
        "x-example": "abc",
        "x-ms-url-encoding": "single",
      },
    ]);
  });

  it("query parameters: enums, formats, defaults, bounds, and arrays with their collectionFormat", () => {
    const out = converted(
      op({
        parameters: [
          { name: "kind", in: "query", schema: { type: "string", enum: ["a", "b"], default: "a" } },
          { name: "since", in: "query", required: true, schema: { type: "string", format: "date-time" } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, exclusiveMaximum: 100 } },
          { name: "tags", in: "query", schema: { type: "array", items: { type: "string", enum: ["x", "y"] }, maxItems: 3 } },
          { name: "ids", in: "query", explode: false, schema: { type: "array", items: { type: "integer" } } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
        ],
      }),
    );
    expect(out.parameters).toEqual([
      { name: "kind", in: "query", required: false, type: "string", default: "a", enum: ["a", "b"] },
      { name: "since", in: "query", required: true, type: "string", format: "date-time" },
      { name: "limit", in: "query", required: false, type: "integer", minimum: 1, maximum: 100, exclusiveMaximum: true },
      { name: "tags", in: "query", required: false, type: "array", maxItems: 3, items: { type: "string", enum: ["x", "y"] }, collectionFormat: "multi" },
      { name: "ids", in: "query", required: false, type: "array", items: { type: "integer" }, collectionFormat: "csv" },
      { name: "X-Trace", in: "header", required: false, type: "string" },
    ]);
  });

  it("a path array is comma-separated (csv)", () => {
    const out = converted(op({ parameters: [{ name: "id", in: "path", required: true, schema: { type: "array", items: { type: "string" } } }] }));
    expect(out.parameters[0]).toEqual({ name: "id", in: "path", required: true, type: "array", items: { type: "string" }, collectionFormat: "csv" });
  });

  it("a parameter whose schema is a $ref gets the referenced keywords inline", () => {
    const out = converted(
      op(
        { parameters: [{ name: "id", in: "path", required: true, schema: { $ref: "#/components/schemas/Id" } }] },
        { schemas: { Id: { type: "string", format: "uuid" } } },
      ),
    );
    expect(out.parameters[0]).toEqual({ name: "id", in: "path", required: true, type: "string", format: "uuid" });
  });

  it("a request body becomes an in: body parameter, with consumes and the body's annotations", () => {
    const out = converted(
      op({
        requestBody: {
          required: true,
          description: "The thing.",
          "x-ms-summary": "Thing",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
        },
      }),
    );
    expect(out.consumes).toEqual(["application/json"]);
    expect(out.parameters).toEqual([
      { name: "body", in: "body", required: true, description: "The thing.", schema: { $ref: "#/definitions/Thing" }, "x-ms-summary": "Thing" },
    ]);
    expect(converted(op({ requestBody: { content: { "application/json": { schema: { type: "object" } } } } })).parameters[0].required).toBe(false);
  });

  it("components.schemas become definitions, with every $ref rewritten, nested ones too", () => {
    const out = toSwagger2(
      doc({
        components: {
          schemas: {
            Problem: {
              type: "object",
              required: ["code"],
              properties: {
                code: { type: "string", enum: ["a", "b"], "x-ms-summary": "Code" },
                errors: { type: "array", items: { $ref: "#/components/schemas/FieldError" }, description: "Fields." },
                extra: { type: "object", additionalProperties: { $ref: "#/components/schemas/FieldError" } },
                both: { allOf: [{ $ref: "#/components/schemas/FieldError" }, { type: "object", properties: { more: { type: "boolean" } } }] },
              },
              additionalProperties: false,
            },
            FieldError: { type: "object", properties: { path: { type: "string", readOnly: true } } },
          },
        },
      }),
    );
    expect(out.definitions.Problem).toEqual({
      type: "object",
      required: ["code"],
      properties: {
        code: { type: "string", enum: ["a", "b"], "x-ms-summary": "Code" },
        errors: { type: "array", description: "Fields.", items: { $ref: "#/definitions/FieldError" } },
        extra: { type: "object", additionalProperties: { $ref: "#/definitions/FieldError" } },
        both: { allOf: [{ $ref: "#/definitions/FieldError" }, { type: "object", properties: { more: { type: "boolean" } } }] },
      },
      additionalProperties: false,
    });
    expect(out.definitions.FieldError).toEqual({ type: "object", properties: { path: { type: "string", readOnly: true } } });
  });

  it("3.1's const and numeric exclusive bounds get their Swagger 2.0 spelling", () => {
    const out = toSwagger2(doc({ components: { schemas: { N: { type: "number", exclusiveMinimum: 0, maximum: 5 }, K: { type: "string", const: "only" } } } }));
    expect(out.definitions.N).toEqual({ type: "number", maximum: 5, minimum: 0, exclusiveMinimum: true });
    expect(out.definitions.K).toEqual({ type: "string", enum: ["only"] });
  });

  it("responses with content get a schema and produces; without content, none; headers and examples carried", () => {
    const out = converted(
      op({
        responses: {
          200: {
            description: "OK.",
            headers: { "Retry-After": { description: "Seconds.", schema: { type: "integer" }, "x-ms-summary": "Retry After" } },
            content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } }, example: { id: "a" } } },
          },
          204: { description: "Nothing." },
          400: { description: "Bad.", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
          404: { $ref: "#/components/responses/NotFound" },
        },
      }),
    );
    expect(out.produces).toEqual(["application/json", "application/problem+json"]);
    expect(out.responses).toEqual({
      200: {
        description: "OK.",
        schema: { type: "object", properties: { id: { type: "string" } } },
        examples: { "application/json": { id: "a" } },
        headers: { "Retry-After": { description: "Seconds.", type: "integer", "x-ms-summary": "Retry After" } },
      },
      204: { description: "Nothing." },
      400: { description: "Bad.", schema: { $ref: "#/definitions/Problem" } },
      404: { $ref: "#/responses/NotFound" },
    });
  });

  it("shared parameters and responses move to the top, their refs rewritten", () => {
    const out = toSwagger2(
      doc({
        paths: { "/x": { get: { parameters: [{ $ref: "#/components/parameters/Limit" }], responses: { 404: { $ref: "#/components/responses/NotFound" } } } } },
        components: {
          parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" } } },
          responses: { NotFound: { description: "Gone.", content: { "application/json": { schema: { $ref: "#/components/schemas/E" } } } } },
          schemas: { E: { type: "object" } },
        },
      }),
    );
    expect(out.paths["/x"].get.parameters).toEqual([{ $ref: "#/parameters/Limit" }]);
    expect(out.parameters).toEqual({ Limit: { name: "limit", in: "query", required: false, type: "integer" } });
    expect(out.responses).toEqual({ NotFound: { description: "Gone.", schema: { $ref: "#/definitions/E" } } });
  });

  it("security schemes become securityDefinitions: API key, basic, and each OAuth 2.0 flow", () => {
    const out = toSwagger2(
      doc({
        components: {
          securitySchemes: {
            ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "A key." },
            Basic: { type: "http", scheme: "basic" },
            Code: {
              type: "oauth2",
              flows: { authorizationCode: { authorizationUrl: "https://a.example/auth", tokenUrl: "https://a.example/token", scopes: { read: "Read." } } },
            },
            App: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://a.example/token", scopes: {} } } },
          },
        },
      }),
    );
    expect(out.securityDefinitions).toEqual({
      ApiKey: { type: "apiKey", name: "X-API-Key", in: "header", description: "A key." },
      Basic: { type: "basic" },
      Code: { type: "oauth2", flow: "accessCode", authorizationUrl: "https://a.example/auth", tokenUrl: "https://a.example/token", scopes: { read: "Read." } },
      App: { type: "oauth2", flow: "application", tokenUrl: "https://a.example/token", scopes: {} },
    });
  });

  it("leaves out empty containers @hono/zod-openapi writes (webhooks, components.parameters)", () => {
    const out = toSwagger2(doc({ webhooks: {}, components: { parameters: {}, schemas: {} } }));
    expect(out).not.toHaveProperty("webhooks");
    expect(out).not.toHaveProperty("parameters");
    expect(out).not.toHaveProperty("definitions");
  });

  it("does not change the document it is given", () => {
    const input = op({ parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }] }, { schemas: { A: { type: "object" } } });
    const before = structuredClone(input);
    toSwagger2(input);
    expect(input).toEqual(before);
  });
});

describe("toSwagger2: what it refuses, loudly", () => {
  const schemaDoc = (schema: Record<string, any>) => doc({ components: { schemas: { S: { type: "object", properties: { f: schema } } } } });

  it.each([
    ["oneOf", { oneOf: [{ type: "string" }, { type: "integer" }] }, /properties\/f\/oneOf: oneOf \(a choice between schemas\)/],
    ["anyOf", { anyOf: [{ type: "string" }, { type: "integer" }] }, /properties\/f\/anyOf: anyOf/],
    ["not", { not: { type: "string" } }, /properties\/f\/not: not has no Swagger 2.0 equivalent/],
    ["a 3.1 nullable union", { type: ["string", "null"] }, /properties\/f\/type: a nullable union \(string \| null\)/],
    ["a union of types", { type: ["string", "integer"] }, /a union of types \(string \| integer\)/],
    ["3.0's nullable", { type: "string", nullable: true }, /properties\/f\/nullable: nullable: true has no Swagger 2.0 equivalent/],
    ["the null type", { type: "null" }, /the null type/],
    ["tuple items", { type: "array", prefixItems: [{ type: "string" }] }, /prefixItems has no Swagger 2.0 equivalent/],
    ["writeOnly", { type: "string", writeOnly: true }, /writeOnly/],
    ["several examples", { type: "string", examples: ["a", "b"] }, /several examples/],
    ["keywords beside a $ref", { $ref: "#/components/schemas/S", description: "x" }, /ignores keywords beside \$ref \(description\)/],
    ["an external $ref", { $ref: "other.json#/Thing" }, /other.json#\/Thing cannot be rewritten/],
    ["a discriminator mapping", { type: "object", discriminator: { propertyName: "k", mapping: { a: "#/components/schemas/S" } } }, /discriminator mapping/],
  ])("%s", (_name, schema, message) => {
    const error = refusal(schemaDoc(schema));
    expect(error.message).toMatch(/^Cannot convert the OpenAPI document to Swagger 2.0:/);
    expect(error.message).toMatch(message);
    expect(error.message).toContain("#/components/schemas/S/properties/f");
  });

  it("several media types in a request body", () => {
    const error = refusal(
      op({ requestBody: { content: { "application/json": { schema: { type: "object" } }, "application/xml": { schema: { type: "object" } } } } }),
    );
    expect(error.message).toContain("#/paths/~1things~1{id}/post/requestBody/content: several media types (application/json, application/xml)");
  });

  it("several media types in a response", () => {
    const error = refusal(op({ responses: { 200: { description: "OK.", content: { "application/json": {}, "text/plain": {} } } } }));
    expect(error.message).toMatch(/responses\/200\/content: several media types/);
  });

  it("form bodies, cookie parameters, parameters by content, unknown styles", () => {
    expect(refusal(op({ requestBody: { content: { "multipart/form-data": { schema: { type: "object" } } } } })).message).toMatch(/form bodies/);
    expect(refusal(op({ parameters: [{ name: "c", in: "cookie", schema: { type: "string" } }] })).message).toMatch(/parameters\/0\/in: cookie parameters/);
    expect(refusal(op({ parameters: [{ name: "q", in: "query", content: { "application/json": {} } }] })).message).toMatch(/a parameter described by content/);
    expect(
      refusal(op({ parameters: [{ name: "q", in: "query", style: "deepObject", schema: { type: "array", items: { type: "string" } } }] })).message,
    ).toMatch(/style deepObject/);
    expect(refusal(op({ parameters: [{ name: "q", in: "query", schema: { type: "object" } }] })).message).toMatch(
      /an object has no Swagger 2.0 equivalent outside a body/,
    );
  });

  it("$refs to shared parts that have no Swagger 2.0 place: a request body, a header, a security scheme", () => {
    expect(refusal(op({ requestBody: { $ref: "#/components/requestBodies/Thing" } })).message).toMatch(/requestBody: a \$ref to a shared request body/);
    const header = refusal(op({ responses: { 204: { description: "Done.", headers: { "X-Id": { $ref: "#/components/headers/Id" } } } } }));
    expect(header.message).toMatch(/responses\/204\/headers\/X-Id: a \$ref to a shared header/);
    const scheme = refusal(doc({ components: { securitySchemes: { S: { $ref: "#/components/securitySchemes/Other" } } } }));
    expect(scheme.message).toMatch(/securitySchemes\/S: a \$ref to a shared security scheme/);
  });

  it("a nullable parameter", () => {
    expect(refusal(op({ parameters: [{ name: "q", in: "query", schema: { type: ["string", "null"] } }] })).message).toMatch(
      /parameters\/0\/schema\/type: a nullable union/,
    );
  });

  it("security schemes Swagger 2.0 cannot express", () => {
    const schemes = (scheme: Record<string, any>) => doc({ components: { securitySchemes: { S: scheme } } });
    expect(refusal(schemes({ type: "http", scheme: "bearer" })).message).toMatch(/the http bearer security scheme has no Swagger 2.0 equivalent/);
    expect(refusal(schemes({ type: "openIdConnect", openIdConnectUrl: "https://a.example" })).message).toMatch(/openIdConnect security scheme/);
    expect(refusal(schemes({ type: "apiKey", in: "cookie", name: "k" })).message).toMatch(/apiKey in cookie/);
    expect(
      refusal(schemes({ type: "oauth2", flows: { implicit: { authorizationUrl: "https://a", scopes: {} }, password: { tokenUrl: "https://a", scopes: {} } } }))
        .message,
    ).toMatch(/exactly one flow/);
  });

  it("documents and parts with no Swagger 2.0 place", () => {
    expect(refusal(doc({ servers: [{ url: "https://a.example" }, { url: "https://b.example" }] })).message).toMatch(/several servers/);
    expect(refusal(doc({ servers: [{ url: "https://{region}.example", variables: { region: { default: "eu" } } }] })).message).toMatch(/server variables/);
    expect(refusal(doc({ webhooks: { ping: {} } })).message).toMatch(/#\/webhooks: webhooks have no Swagger 2.0 equivalent/);
    expect(refusal(op({ callbacks: { cb: {} } })).message).toMatch(/callbacks/);
    expect(refusal(op({ responses: { 200: { description: "OK.", links: { next: {} } } } })).message).toMatch(/links/);
    expect(refusal(doc({ components: { requestBodies: { B: { content: {} } } } })).message).toMatch(/shared request bodies/);
    expect(refusal(doc({ paths: { "/x": { trace: { responses: {} } } } })).message).toMatch(/TRACE/);
    expect(refusal(op({ responses: { 200: { description: "OK.", headers: { H: { required: true, schema: { type: "string" } } } } } })).message).toMatch(
      /a required response header/,
    );
    expect(() => toSwagger2({ swagger: "2.0" })).toThrow(/expected an OpenAPI 3.0 or 3.1 document/);
  });

  it.each([
    ["a schema that is a $ref to itself", { A: { $ref: "#/components/schemas/A" } }, "#/components/schemas/A -> #/components/schemas/A is a cycle of $refs"],
    [
      "two schemas that refer to each other",
      { A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } },
      "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
    ],
    [
      "an array whose items are the array itself",
      { A: { type: "array", items: { $ref: "#/components/schemas/A" } } },
      "#/components/schemas/A -> #/components/schemas/A is a cycle",
    ],
  ])("a cycle of $refs where the keywords must be inlined (a parameter's schema): %s", (_name, schemas, message) => {
    const error = refusal(op({ parameters: [{ name: "q", in: "query", schema: { $ref: "#/components/schemas/A" } }] }, { schemas }));
    expect(error.problems.join("\n")).toContain(message);
    expect(error.problems.join("\n")).toContain("#/paths/~1things~1{id}/post/parameters/0/schema");
  });

  it("a body schema that refers to itself is carried over as a $ref: Swagger 2.0 can say that", () => {
    const out = toSwagger2(
      op(
        { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Tree" } } } } },
        {
          schemas: { Tree: { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } } },
        },
      ),
    );
    expect(out.definitions.Tree.properties.children.items).toEqual({ $ref: "#/definitions/Tree" });
  });

  it("lists every problem at once, not only the first", () => {
    const error = refusal(doc({ components: { schemas: { A: { oneOf: [{ type: "string" }] }, B: { type: ["string", "null"] } } } }));
    expect(error.problems).toHaveLength(2);
  });
});

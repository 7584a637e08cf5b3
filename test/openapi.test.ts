import { Validator } from "@seriousme/openapi-schema-validator";
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

let h: Harness;
let document: any;
beforeAll(async () => {
  h = await startHarness();
  document = (await h.call("GET", "/openapi.json", { key: null })).json;
});
afterAll(() => h.close());

/** The public API v1 (README: "The actions"): the contract outside checks rely on. */
const CONTRACT = [
  ["post", "/v1/users", "CreateUser", "Create a user", "201"],
  ["post", "/v1/users/{userId}/tokens", "IssueAccessToken", "Issue a user access token", "200"],
  ["delete", "/v1/users/{userId}/tokens", "RevokeAccessTokens", "Revoke user access tokens", "204"],
  ["delete", "/v1/users/{userId}", "DeleteUser", "Delete a user", "204"],
  ["post", "/v1/teams/tokens", "ExchangeTeamsToken", "Exchange a Teams user token", "200"],
  ["get", "/v1/connection", "TestConnection", "Test the connection", "200"],
  ["get", "/v1/scopes", "ListScopes", "List token scopes", "200"],
] as const;

/** The connector's own operations: they never reach ACS, so they answer neither 400 nor 502. */
const INTERNAL: readonly string[] = ["TestConnection", "ListScopes"];

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("is the document the app built", () => {
    expect(document).toEqual(JSON.parse(JSON.stringify(h.document)));
  });

  it("has exactly the operations of the contract", () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
      Object.entries(item).map(([method, op]: [string, any]) => [method, path, op.operationId]),
    );
    expect(operations.sort()).toEqual(CONTRACT.map(([method, path, id]) => [method, path, id]).sort());
  });

  it.each(CONTRACT)("%s %s: operationId, summary, description, typed responses", (method, path, operationId, summary, success) => {
    const op = document.paths[path][method];
    expect(op.operationId).toBe(operationId);
    expect(op.summary).toBe(summary);
    expect(op.description).toMatch(/\.$/);
    expect(op.description).not.toBe(op.summary);
    expect(Object.keys(op.responses)).toContain(success);
    if (success === "204") expect(op.responses[success].content).toBeUndefined();
    else expect(op.responses[success].content["application/json"].schema).toBeDefined();
    for (const status of INTERNAL.includes(operationId) ? ["401", "500"] : ["400", "401", "500", "502"]) {
      const { schema } = op.responses[status].content["application/problem+json"];
      expect(schema.allOf[0].$ref).toBe("#/components/schemas/Problem");
      // The codes this status can carry, as the description names them.
      const described = [...op.responses[status].description.matchAll(/\(([a-z_]+)\)/g)].map((match) => match[1]);
      expect(schema.allOf[1].properties.code.enum).toEqual(described);
    }
    if (path.includes("{userId}")) {
      expect(op.responses["404"]).toBeDefined();
      expect(op.parameters[0]).toMatchObject({ name: "userId", in: "path", required: true });
    }
  });

  it("is readable from any origin, without credentials", async () => {
    const res = await h.call("GET", "/openapi.json", { key: null, headers: { Origin: "https://portal.azure.com" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives each error response an example with its own status and the code it describes (what /docs shows)", () => {
    const examples: [string, string, any][] = [];
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const op of Object.values<any>(item)) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (status.startsWith("2")) continue;
          const example = response.content["application/problem+json"].example;
          examples.push([`${op.operationId} ${status}`, response.description, example]);
          expect(example.status, `${path} ${status}`).toBe(Number(status));
          expect(response.description, `${op.operationId} ${status}`).toContain(`(${example.code})`);
          expect(example.type).toBe(`urn:acs-identity-connector:problem:${example.code}`);
        }
      }
    }
    const codes = Object.fromEntries(examples.map(([at, , example]) => [at, example.code]));
    expect(codes).toMatchObject({
      "CreateUser 400": "validation_failed",
      "CreateUser 401": "unauthorized",
      "IssueAccessToken 404": "user_not_found",
      "CreateUser 413": "payload_too_large",
      "ExchangeTeamsToken 400": "teams_token_rejected",
      "DeleteUser 504": "upstream_timeout",
    });
  });

  it("declares the API key scheme for every action", () => {
    expect(document.components.securitySchemes.ApiKey).toEqual(expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }));
    expect(document.security).toEqual([{ ApiKey: [] }]);
  });

  it("marks the request bodies that are required", () => {
    expect(document.paths["/v1/users"].post.requestBody.required).toBe(false);
    expect(document.paths["/v1/users/{userId}/tokens"].post.requestBody.required).toBe(true);
    expect(document.paths["/v1/teams/tokens"].post.requestBody.required).toBe(true);
  });
});

describe("the OpenAPI document is built when first asked for", () => {
  afterEach(() => vi.restoreAllMocks());

  it("not at start nor for an action, and once for /openapi.json and /swagger.json together", async () => {
    // Counted from before the app exists, so a document built inside createApp would count too.
    const builds = vi.spyOn(OpenApiGeneratorV31.prototype, "generateDocument");
    const logs: Record<string, unknown>[] = [];
    const { app } = createApp({ services: { identity: null as never }, apiKeys: ["k"], log: (line) => logs.push(line) });
    // An action that stops before ACS: its log line still names the action, read from the route definitions.
    const refused = await app.request("/v1/users/not-a-user/tokens", { method: "DELETE", headers: { "X-API-Key": "k" } });
    expect(refused.status).toBe(400);
    expect(logs.at(-1)).toMatchObject({ action: "RevokeAccessTokens", status: 400 });
    expect((await app.request("/health")).status).toBe(200);
    expect(builds).not.toHaveBeenCalled();
    for (const path of ["/openapi.json", "/openapi.json", "/swagger.json", "/swagger.json"]) {
      expect((await app.request(path, { headers: { Host: "example.com" } })).status).toBe(200);
    }
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it("keeps a build's failure: each request for the document is a 500 at once, not another build", async () => {
    const builds = vi.spyOn(OpenApiGeneratorV31.prototype, "generateDocument").mockImplementation(() => {
      throw new Error("a broken route definition");
    });
    const { app } = createApp({ services: { identity: null as never }, apiKeys: ["k"], log: () => {} });
    for (const path of ["/openapi.json", "/swagger.json", "/openapi.json"]) {
      const res = await app.request(path, { headers: { Host: "example.com" } });
      expect(res.status).toBe(500);
      expect((await res.json()).code).toBe("internal");
    }
    expect(builds).toHaveBeenCalledTimes(1);
  });
});

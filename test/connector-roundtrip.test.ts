import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallOptions, type Harness, startHarness } from "./helpers/harness.ts";
import { teamsToken } from "./helpers/jwt.ts";

/**
 * Every action called as a connector calls it: URL, method and parameters taken from the Swagger 2.0 definition the
 * service serves, and each answer checked against what that definition declares for its status: the success against
 * its schema; an error, whose response the definition describes without a schema (the designer reads one schema per
 * operation), against the Problem definition every error body follows.
 */

type Json = Record<string, any>;

// CommonJS packages: under NodeNext their default export is module.exports, which names itself `default`.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

let h: Harness;
let definition: Json;
let ajv: InstanceType<typeof AjvDraft04>;
beforeAll(async () => {
  // With a rate limit on, as a shared deployment runs: every answer then carries each header the 429 declares.
  h = await startHarness({ rateLimitPerMinute: 100_000 });
  definition = (await h.call("GET", "/swagger.json", { key: null })).json;
  ajv = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  // Closed objects, for this test only: an answer carrying a field the definition does not declare fails too.
  ajv.addSchema({ id: "connector", definitions: closeObjects(structuredClone(definition.definitions)) });
});
afterAll(() => h.close());

function closeObjects(value: any): any {
  if (Array.isArray(value)) value.forEach(closeObjects);
  else if (value && typeof value === "object") {
    if (value.properties && value.additionalProperties === undefined) value.additionalProperties = false;
    Object.values(value).forEach(closeObjects);
  }
  return value;
}

function operation(operationId: string): { method: string; path: string; op: Json } {
  for (const [path, item] of Object.entries<Json>(definition.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) if (op.operationId === operationId) return { method, path, op };
  }
  throw new Error(`no operation ${operationId}`);
}

/** Calls an action by its operationId; path parameters are encoded once, as x-ms-url-encoding: single says. */
async function callAction(operationId: string, params: Record<string, string> = {}, options: CallOptions = {}) {
  const { method, path, op } = operation(operationId);
  const url = path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]!));
  const response = await h.call(method.toUpperCase(), url, options);
  return { ...response, op };
}

/** The answer matches what the definition declares for its status: schema, media type, headers. */
function expectDeclared(response: { status: number; headers: Headers; text: string; json: any; op: Json }) {
  const declared = response.op.responses[String(response.status)];
  expect(declared, `status ${response.status} is declared`).toBeDefined();
  const error = response.status >= 400;
  if (!declared.schema && !error) {
    expect(response.text).toBe("");
    return;
  }
  const mediaType = response.headers.get("content-type")!.split(";")[0];
  // Errors are problem+json, which Power Platform reads as the JSON its definition produces.
  expect(mediaType).toBe(error ? "application/problem+json" : "application/json");
  expect(response.op.produces).toEqual(["application/json"]);
  const schema = error ? { $ref: "#/definitions/Problem" } : declared.schema;
  if (error) expect(declared.schema).toBeUndefined();
  const validate = ajv.compile({ allOf: [JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"connector#/definitions/'))] });
  expect(validate(response.json), JSON.stringify(validate.errors)).toBe(true);
  for (const [name, header] of Object.entries<Json>(declared.headers ?? {})) {
    const value = response.headers.get(name);
    expect(value, name).not.toBeNull();
    if (header.type === "integer") expect(value).toMatch(/^[0-9]+$/);
  }
}

async function newUser(): Promise<string> {
  return (await callAction("CreateUser")).json.userId;
}

const TEAMS = { clientId: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b", userObjectId: "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f" };
const teamsBody = (claims: Json = {}) => ({
  teamsUserAadToken: teamsToken({
    appid: TEAMS.clientId,
    oid: TEAMS.userObjectId,
    tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  }),
  ...TEAMS,
});

describe("each action's success answer matches its declared schema", () => {
  it("Create a user, without and with a token", async () => {
    const bare = await callAction("CreateUser");
    expect(bare.status).toBe(201);
    expectDeclared(bare);
    const withToken = await callAction("CreateUser", {}, { body: { scopes: ["chat", "voip"], expiresInMinutes: 60 } });
    expect(withToken.status).toBe(201);
    expect(Object.keys(withToken.json).sort()).toEqual(["expiresOn", "token", "userId"]);
    expectDeclared(withToken);
  });

  it("Issue a user access token", async () => {
    const response = await callAction("IssueAccessToken", { userId: await newUser() }, { body: { scopes: ["chat.join.limited"] } });
    expect(response.status).toBe(200);
    expectDeclared(response);
  });

  it("Revoke user access tokens", async () => {
    const response = await callAction("RevokeAccessTokens", { userId: await newUser() });
    expect(response.status).toBe(204);
    expectDeclared(response);
  });

  it("Delete a user", async () => {
    const response = await callAction("DeleteUser", { userId: await newUser() });
    expect(response.status).toBe(204);
    expectDeclared(response);
  });

  it("Exchange a Teams user token", async () => {
    const response = await callAction("ExchangeTeamsToken", {}, { body: teamsBody() });
    expect(response.status).toBe(200);
    expectDeclared(response);
  });

  it("the connector's internal operations: Test the connection and List token scopes", async () => {
    for (const operationId of ["TestConnection", "ListScopes"]) {
      const response = await callAction(operationId);
      expect(response.status, operationId).toBe(200);
      expectDeclared(response);
    }
  });
});

describe("each action's errors match the declared error schema", () => {
  const ACTIONS = ["CreateUser", "IssueAccessToken", "RevokeAccessTokens", "DeleteUser", "ExchangeTeamsToken"];

  it.each(ACTIONS)("%s without an API key: 401", async (operationId) => {
    const response = await callAction(
      operationId,
      { userId: "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000" },
      { key: null },
    );
    expect(response.status).toBe(401);
    expect(response.json.code).toBe("unauthorized");
    expectDeclared(response);
  });

  it.each([
    ["CreateUser", {}, { expiresInMinutes: 60 }],
    ["IssueAccessToken", { userId: "not-a-user-id" }, { scopes: ["chat"] }],
    ["RevokeAccessTokens", { userId: "not-a-user-id" }, undefined],
    ["DeleteUser", { userId: "8:acs:nope" }, undefined],
    ["ExchangeTeamsToken", {}, { teamsUserAadToken: "x", clientId: "y" }],
  ])("%s with bad input: 400 with field errors", async (operationId, params, body) => {
    const response = await callAction(operationId, params as Record<string, string>, body === undefined ? {} : { body });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("validation_failed");
    expect(response.json.errors.length).toBeGreaterThan(0);
    expectDeclared(response);
  });

  it.each(["IssueAccessToken", "RevokeAccessTokens", "DeleteUser"])("%s on a deleted user: 404", async (operationId) => {
    const userId = await newUser();
    expect((await callAction("DeleteUser", { userId })).status).toBe(204);
    const response = await callAction(operationId, { userId }, operationId === "IssueAccessToken" ? { body: { scopes: ["chat"] } } : {});
    expect(response.status).toBe(404);
    expect(response.json.code).toBe("user_not_found");
    expectDeclared(response);
  });

  it("ExchangeTeamsToken with a token for another app: 400 teams_token_rejected", async () => {
    const response = await callAction("ExchangeTeamsToken", {}, { body: teamsBody({ appid: "00000000-0000-0000-0000-000000000001" }) });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("teams_token_rejected");
    expectDeclared(response);
  });

  it("a 415 and a 413 match too", async () => {
    const unsupported = await callAction(
      "IssueAccessToken",
      { userId: await newUser() },
      { rawBody: "scopes=chat", headers: { "Content-Type": "text/plain" } },
    );
    expect(unsupported.status).toBe(415);
    expectDeclared(unsupported);
    const tooLarge = await callAction(
      "ExchangeTeamsToken",
      {},
      { rawBody: JSON.stringify({ teamsUserAadToken: "a".repeat(20_000) }), headers: { "Content-Type": "application/json" } },
    );
    expect(tooLarge.status).toBe(413);
    expectDeclared(tooLarge);
  });

  it("a caller over its rate limit: 429 rate_limited with the declared headers", async () => {
    const limited = await startHarness({ apiKeys: ["only-caller-key-0001"], rateLimitPerMinute: 1 });
    try {
      const { method, path, op } = operation("CreateUser");
      expect((await limited.call(method.toUpperCase(), path)).status).toBe(201);
      const response = { ...(await limited.call(method.toUpperCase(), path)), op };
      expect(response.status).toBe(429);
      expect(response.json.code).toBe("rate_limited");
      expectDeclared(response);
    } finally {
      await limited.close();
    }
  });

  it("ACS throttling: 429 with the declared Retry-After header", async () => {
    await h.fault({ status: 429, times: 5, retryAfterSeconds: 30 });
    try {
      const response = await callAction("CreateUser");
      expect(response.status).toBe(429);
      expectDeclared(response);
      expect(response.headers.get("retry-after")).toBe("30");
    } finally {
      await h.clearFaults();
    }
  });
});

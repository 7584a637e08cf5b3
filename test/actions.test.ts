import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userActions } from "./helpers/actions.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { decodeJwt, teamsToken } from "./helpers/jwt.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const USER_ID = /^8:acs:[0-9a-f-]{36}_[0-9a-f-]+$/;
const MINUTE = 60;

/** The token is the emulator's JWT, for this user, with the scopes asked for, expiring when the body says. */
function expectToken(body: { token: string; expiresOn: string }, userId: string, scopes: string[], minutes: number) {
  const { header, payload } = decodeJwt(body.token);
  expect(header.alg).toBe("RS256");
  expect(payload.skypeid).toBe(userId.slice(2));
  expect(String(payload.acsScope).split(",").sort()).toEqual([...scopes].sort());
  expect(new Date(body.expiresOn).toISOString()).toBe(body.expiresOn);
  expect(payload.exp).toBe(Math.floor(Date.parse(body.expiresOn) / 1000));
  expect(payload.exp - payload.iat).toBe(minutes * MINUTE);
}

describe("Create a user", () => {
  it("creates a user with no body: 201 and only the user id", async () => {
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(res.json)).toEqual(["userId"]);
    expect(res.json.userId).toMatch(USER_ID);
  });

  it.each([
    ["an empty JSON body", ""],
    ["{}", "{}"],
    ["null fields", '{"scopes":null,"expiresInMinutes":null}'],
  ])("treats %s as no body", async (_name, rawBody) => {
    const res = await h.call("POST", "/v1/users", { rawBody, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(["userId"]);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded"])("treats an empty body labelled %s as no body (as curl -d '' sends)", async (type) => {
    const res = await h.call("POST", "/v1/users", { rawBody: "", headers: { "Content-Type": type } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(["userId"]);
  });

  it("creates a user and a token when scopes are given, with ACS's default lifetime of 24 hours", async () => {
    const res = await h.call("POST", "/v1/users", { body: { scopes: ["chat", "voip"] } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["expiresOn", "token", "userId"]);
    expectToken(res.json, res.json.userId, ["chat", "voip"], 1440);
    expect(await h.verify(res.json.token)).toMatchObject({ valid: true });
  });

  it("honours expiresInMinutes", async () => {
    const res = await h.call("POST", "/v1/users", { body: { scopes: ["chat.join"], expiresInMinutes: 60 } });
    expect(res.status).toBe(201);
    expectToken(res.json, res.json.userId, ["chat.join"], 60);
  });
});

describe("Issue a user access token", () => {
  it("issues a token with the requested scopes and lifetime", async () => {
    const { json: user } = await h.call("POST", "/v1/users");
    const res = await h.call("POST", userPath(user.userId, "/tokens"), { body: { scopes: ["voip.join", "chat.join.limited"], expiresInMinutes: 90 } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["expiresOn", "token", "userId"]);
    expect(res.json.userId).toBe(user.userId);
    expectToken(res.json, user.userId, ["voip.join", "chat.join.limited"], 90);
  });

  it("defaults to 1440 minutes when expiresInMinutes is left out or null", async () => {
    const { json: user } = await h.call("POST", "/v1/users");
    for (const body of [{ scopes: ["chat"] }, { scopes: ["chat"], expiresInMinutes: null }]) {
      const res = await h.call("POST", userPath(user.userId, "/tokens"), { body });
      expect(res.status).toBe(200);
      expectToken(res.json, user.userId, ["chat"], 1440);
    }
  });

  it("gives 404 user_not_found for a well-formed id of another resource, after asking ACS", async () => {
    await h.clearRequests();
    const res = await h.call("POST", userPath(FOREIGN_USER_ID, "/tokens"), { body: { scopes: ["chat"] } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ status: 404, code: "user_not_found" });
    expect((await h.requests()).map((r) => r.status)).toEqual([401]);
  });
});

describe("Revoke user access tokens", () => {
  it("answers 204 and makes every earlier token invalid, while a later one is valid", async () => {
    const created = await h.call("POST", "/v1/users", { body: { scopes: ["chat"] } });
    const userId = created.json.userId;
    const second = await h.call("POST", userPath(userId, "/tokens"), { body: { scopes: ["voip"] } });
    const res = await h.call("DELETE", userPath(userId, "/tokens"));
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await h.verify(created.json.token)).valid).toBe(false);
    expect((await h.verify(second.json.token)).valid).toBe(false);
    const later = await h.call("POST", userPath(userId, "/tokens"), { body: { scopes: ["chat"] } });
    expect(await h.verify(later.json.token)).toMatchObject({ valid: true });
  });

  it("gives 404 for an unknown user", async () => {
    const res = await h.call("DELETE", userPath(FOREIGN_USER_ID, "/tokens"));
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("user_not_found");
  });
});

describe("Delete a user", () => {
  it("answers 204; afterwards the user's tokens are invalid and every action on it is 404", async () => {
    const created = await h.call("POST", "/v1/users", { body: { scopes: ["chat"] } });
    const userId = created.json.userId;
    const res = await h.call("DELETE", userPath(userId));
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await h.verify(created.json.token)).valid).toBe(false);
    for (const [method, path, body] of userActions(userId)) {
      const again = await h.call(method, path, { body });
      expect(again.status, `${method} ${path}`).toBe(404);
      expect(again.json).toMatchObject({ code: "user_not_found", status: 404, title: expect.any(String), detail: expect.any(String) });
    }
  });
});

describe("Exchange a Teams user's token", () => {
  const clientId = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
  const userObjectId = "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f";
  const claims = { appid: clientId, oid: userObjectId, tid: "72f988bf-86f1-41af-91ab-2d7cd011db47", exp: Math.floor(Date.now() / 1000) + 3600 };

  it("exchanges a valid Teams token for an ACS token of the Teams user", async () => {
    const res = await h.call("POST", "/v1/teams/tokens", { body: { teamsUserAadToken: teamsToken(claims), clientId, userObjectId } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["expiresOn", "token"]);
    const { payload } = decodeJwt(res.json.token);
    expect(payload.skypeid).toBe(`orgid:${userObjectId}`);
    expect(payload.exp).toBe(Math.floor(Date.parse(res.json.expiresOn) / 1000));
    expect(await h.verify(res.json.token)).toMatchObject({ valid: true });
  });

  // Its refusals (another app's or user's token, an expired one) are asserted in acs-errors.test.ts, with what ACS said.
});

describe("request ids and logs", () => {
  it("echoes a caller's x-ms-client-request-id, passes it to ACS, and puts it in error bodies", async () => {
    await h.clearRequests();
    const id = "flow-run.42:step-7";
    const ok = await h.call("POST", "/v1/users", { headers: { "x-ms-client-request-id": id } });
    expect(ok.headers.get("x-ms-client-request-id")).toBe(id);
    expect((await h.requests()).map((r) => r.clientRequestId)).toEqual([id]);
    const bad = await h.call("POST", "/v1/users", { body: { scopes: [] }, headers: { "x-ms-client-request-id": id } });
    expect(bad.json.requestId).toBe(id);
    expect(bad.headers.get("x-ms-client-request-id")).toBe(id);
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["bad characters", "id with spaces"],
  ])("replaces a request id that is %s with a UUID", async (_n, id) => {
    const res = await h.call("POST", "/v1/users", { body: { scopes: [] }, headers: { "x-ms-client-request-id": id } });
    expect(res.headers.get("x-ms-client-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.json.requestId).toBe(res.headers.get("x-ms-client-request-id"));
  });

  it("writes one log line per request with route, status and duration, and no token or key", async () => {
    const before = h.logs.length;
    const res = await h.call("POST", "/v1/users", { body: { scopes: ["chat"] }, headers: { "x-ms-client-request-id": "log-check" } });
    const lines = h.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: "log-check", method: "POST", route: "/v1/users", status: 201 });
    expect(typeof lines[0]!.durationMs).toBe("number");
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain(res.json.token);
    expect(all).not.toContain(h.apiKeys[0]);
    expect(all).not.toContain(h.emulator.accessKey);
  });
});

describe("service endpoints", () => {
  it("GET /health answers without a key", async () => {
    const res = await h.call("GET", "/health", { key: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });

  it("an unknown route outside /v1 is 404 not_found problem+json", async () => {
    const res = await h.call("GET", "/nope", { key: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ code: "not_found", status: 404 });
  });

  it("an unknown /v1 route is 404 with a key", async () => {
    const res = await h.call("GET", "/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("not_found");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys: ["key-one", "key-two"] });
});
afterAll(() => h.close());

const actions: [string, string, string, unknown][] = [
  ["Create a user", "POST", "/v1/users", undefined],
  ["Issue a user access token", "POST", userPath(FOREIGN_USER_ID, "/tokens"), { scopes: ["chat"] }],
  ["Revoke user access tokens", "DELETE", userPath(FOREIGN_USER_ID, "/tokens"), undefined],
  ["Delete a user", "DELETE", userPath(FOREIGN_USER_ID), undefined],
  ["Exchange a Teams user's token", "POST", "/v1/teams/tokens", { teamsUserAadToken: "a.b.c", clientId: "x", userObjectId: "y" }],
];

describe.each(actions)("%s", (_name, method, path, body) => {
  it.each([
    ["no key", null],
    ["a wrong key", "key-three"],
    ["an empty key", ""],
    ["a prefix of a right key", "key-"],
  ])("refuses %s with 401 problem+json and WWW-Authenticate, without calling ACS", async (_case, key) => {
    await h.clearRequests();
    const res = await h.call(method, path, { key, body });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^ApiKey /);
    expect(res.json).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await h.requests()).toEqual([]);
  });
});

describe("key rotation", () => {
  it("accepts every key in API_KEYS", async () => {
    for (const key of ["key-one", "key-two"]) {
      expect((await h.call("POST", "/v1/users", { key })).status).toBe(201);
    }
  });

  it("does not need a key for /health and /openapi.json", async () => {
    expect((await h.call("GET", "/health", { key: null })).status).toBe(200);
    expect((await h.call("GET", "/openapi.json", { key: null })).status).toBe(200);
  });
});

describe("no keys configured", () => {
  it("refuses every caller rather than letting everyone in", async () => {
    const open = await startHarness({ apiKeys: [] });
    try {
      const res = await open.call("POST", "/v1/users", { key: "anything" });
      expect(res.status).toBe(401);
    } finally {
      await open.close();
    }
  });
});

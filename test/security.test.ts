import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, actionPath } from "./helpers/actions.ts";
import { FOREIGN_USER_ID, type Harness, startHarness } from "./helpers/harness.ts";
import { rawRequest } from "./helpers/raw-http.ts";

/**
 * The security tests every action shares, run for each operation of the OpenAPI document: an action added to the
 * service is covered without being listed here. Nothing of a refused call may reach ACS.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys: ["key-one", "key-two"] });
});
afterAll(() => h.close());

describe.each(ACTIONS.map((action) => [`${action.operationId} (${action.method} ${action.path})`, action] as const))("%s", (_name, action) => {
  const path = actionPath(action, FOREIGN_USER_ID);
  const { method, body } = action;

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

  it.each([
    ["as a bearer token", { Authorization: "Bearer key-one" }, ""],
    ["in the query string", {}, "?api_key=key-one"],
    ["under another header name", { "X-Api-Token": "key-one" }, ""],
  ])("takes a right key only in X-API-Key, not %s", async (_case, headers, query) => {
    await h.clearRequests();
    const res = await h.call(method, path + query, { key: null, headers, body });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe("unauthorized");
    expect(res.text).not.toContain("key-one");
    expect(await h.requests()).toEqual([]);
  });

  // Written on a raw socket: fetch sends no body with a GET, and the check must hold for every method.
  it("checks the caller before the body: an oversized, non-JSON body without a key is 401", async () => {
    await h.clearRequests();
    const res = await rawRequest(h.base, { method, target: path, headers: [["Content-Type", "text/plain"]], body: "x".repeat(20 * 1024) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).code).toBe("unauthorized");
    expect(await h.requests()).toEqual([]);
  });

  it("a refusal is not cached and carries the security headers", async () => {
    const res = await h.call(method, path, { key: null, body });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-ms-client-request-id")).toBe(res.json.requestId);
  });
});

it("runs for every action of the document", () => {
  expect(ACTIONS.map((action) => action.operationId)).toEqual(
    expect.arrayContaining(["CreateUser", "IssueAccessToken", "RevokeAccessTokens", "DeleteUser", "ExchangeTeamsToken"]),
  );
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

/** A known path asked with another method: 405 method_not_allowed with Allow, after authentication, before the body. */

let h: Harness;
let logs: Record<string, unknown>[];
beforeAll(async () => {
  h = await startHarness();
  logs = h.logs;
});
afterAll(() => h.close());
beforeEach(() => h.clearRequests());

async function expect405(res: Awaited<ReturnType<Harness["call"]>>, method: string, allow: string) {
  expect(res.status).toBe(405);
  expect(res.headers.get("allow")).toBe(allow);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({
    status: 405,
    code: "method_not_allowed",
    type: "urn:acs-identity-connector:problem:method_not_allowed",
    title: expect.any(String),
  });
  expect(res.json.detail).toBe(`This path does not take ${method}; it takes ${allow} (the Allow header lists them, /openapi.json describes them).`);
  expect(res.json.requestId).toBe(res.headers.get("x-ms-client-request-id"));
  expect(await h.requests()).toEqual([]);
}

describe("405 method_not_allowed", () => {
  it.each([
    ["GET", "/v1/users", "POST"],
    ["PUT", "/v1/users", "POST"],
    ["GET", userPath(FOREIGN_USER_ID, "/tokens"), "POST, DELETE"],
    ["PATCH", userPath(FOREIGN_USER_ID), "DELETE"],
    ["POST", userPath(FOREIGN_USER_ID), "DELETE"],
    ["GET", "/v1/teams/tokens", "POST"],
  ])("%s %s with a key: Allow %s, nothing sent to ACS", async (method, path, allow) => {
    await expect405(await h.call(method, path), method, allow);
  });

  it.each([
    ["POST", "/health"],
    ["DELETE", "/openapi.json"],
    ["POST", "/swagger.json"],
    ["PUT", "/docs"],
  ])("%s %s, a public path, needs no key: Allow GET, HEAD", async (method, path) => {
    await expect405(await h.call(method, path, { key: null }), method, "GET, HEAD");
  });

  it("without a key a /v1 path is 401 first: a 401 never says more than that the key is wrong", async () => {
    const res = await h.call("GET", "/v1/users", { key: null });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe("unauthorized");
    expect(res.headers.get("allow")).toBeNull();
  });

  it("comes before the body checks: a large, non-JSON body on the wrong method is still 405", async () => {
    const res = await h.call("POST", "/v1/users/x", { rawBody: "x".repeat(20 * 1024), headers: { "Content-Type": "text/plain" } });
    await expect405(res, "POST", "DELETE");
  });

  it("HEAD on a GET path is answered as GET, not refused", async () => {
    const res = await h.call("HEAD", "/health", { key: null });
    expect(res.status).toBe(200);
  });

  it("a path the service does not have stays 404 not_found, with no Allow", async () => {
    for (const path of ["/v1/nothing-here", "/v1/users/", "/v1/Users"]) {
      const res = await h.call("GET", path);
      expect(res.status).toBe(404);
      expect(res.json.code).toBe("not_found");
      expect(res.headers.get("allow")).toBeNull();
    }
  });

  it("the right method on the same path still works", async () => {
    expect((await h.call("POST", "/v1/users")).status).toBe(201);
  });

  it("is logged with its code, as every refusal is", async () => {
    logs.length = 0;
    await h.call("GET", "/v1/users");
    expect(logs).toEqual([expect.objectContaining({ method: "GET", status: 405, code: "method_not_allowed" })]);
  });
});

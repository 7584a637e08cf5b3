import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraVerifier } from "../src/entra.ts";
import { SCOPES } from "../src/schemas.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

/** The connector's two internal operations, over real HTTP: its test connection and the designer's list of scopes. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys: ["first-key", "second-key"] });
});
afterAll(() => h.close());

describe("GET /v1/connection (TestConnection)", () => {
  it.each([
    ["first-key", "key-1"],
    ["second-key", "key-2"],
  ])("with the API key %s: 200, naming the caller %s, and nothing reaches ACS", async (key, caller) => {
    await h.clearRequests();
    const res = await h.call("GET", "/v1/connection", { key });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", caller });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await h.requests()).toEqual([]);
  });

  it.each([
    ["no key", null],
    ["a wrong key", "not-a-key"],
  ])("with %s: 401 problem+json, so the connection fails when it is created", async (_name, key) => {
    const res = await h.call("GET", "/v1/connection", { key });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.code).toBe("unauthorized");
    expect(res.headers.get("www-authenticate")).toContain("ApiKey");
    expect(res.text).not.toContain("not-a-key");
  });

  describe("with an Entra ID bearer token", () => {
    let issuer: EntraIssuer;
    let service: Harness;
    beforeAll(async () => {
      issuer = await startEntraIssuer();
      service = await startHarness({ apiKeys: [], entra: createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl: issuer.jwksUrl }) });
    });
    afterAll(async () => {
      await service.close();
      await issuer.close();
    });

    it.each([
      ["an app's token: its appid", { appid: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" }, "app:3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"],
      ["a v2 token without appid: its azp", { appid: undefined, azp: "7c6b5a49-3827-4160-9f8e-7d6c5b4a3928" }, "app:7c6b5a49-3827-4160-9f8e-7d6c5b4a3928"],
    ])("%s names the caller", async (_name, claims, caller) => {
      const token = await issuer.mint({ claims });
      const res = await service.call("GET", "/v1/connection", { key: null, headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: "ok", caller });
    });
  });
});

describe("GET /v1/scopes (ListScopes)", () => {
  it("lists every scope the actions take, each with a display name and a description, and never reaches ACS", async () => {
    await h.clearRequests();
    const res = await h.call("GET", "/v1/scopes");
    expect(res.status).toBe(200);
    expect(res.json.value.map((choice: { name: string }) => choice.name)).toEqual([...SCOPES]);
    expect(res.json.value.find((choice: { name: string }) => choice.name === "voip")).toEqual({
      name: "voip",
      displayName: "Calls (VoIP)",
      description: expect.stringMatching(/\.$/),
    });
    for (const choice of res.json.value) expect(Object.keys(choice).sort()).toEqual(["description", "displayName", "name"]);
    expect(await h.requests()).toEqual([]);
  });

  it("is authenticated like every action: 401 without a key", async () => {
    const res = await h.call("GET", "/v1/scopes", { key: null });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe("unauthorized");
  });

  it("each scope it lists is one Issue a user access token accepts", async () => {
    const userId = (await h.call("POST", "/v1/users")).json.userId;
    const { value } = (await h.call("GET", "/v1/scopes")).json;
    for (const { name } of value) {
      const issued = await h.call("POST", `/v1/users/${encodeURIComponent(userId)}/tokens`, { body: { scopes: [name] } });
      expect(issued.status, name).toBe(200);
    }
  });
});

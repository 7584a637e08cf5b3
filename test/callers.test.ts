import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseApiKeys, productionProblems } from "../src/config.ts";
import { createEntraVerifier } from "../src/entra.ts";
import { TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "./helpers/jwt.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { startNodeService } from "./helpers/node-service.ts";

/** Named callers and the audit fields of the one log line: who did what, to which user, with what outcome. */

const FLOWS_KEY = "Zmxvd3MtcHJvZHVjdGlvbi1rZXktMDAx";
const BARE_KEY = "0123456789abcdef0123456789abcdef";
const OPS_KEY = "b3BzLXRlYW0ta2V5LXNlY29uZC0wMDI_";

describe("API_KEYS names its callers", () => {
  it("reads name:key entries and names bare keys by their position", () => {
    expect(parseApiKeys([`flows-prod:${FLOWS_KEY}`, BARE_KEY, `ops_team:${OPS_KEY}`])).toEqual([
      { name: "flows-prod", key: FLOWS_KEY },
      { name: "key-2", key: BARE_KEY },
      { name: "ops_team", key: OPS_KEY },
    ]);
  });

  it("keeps a base64 key's padding: only the first colon ends the name", () => {
    expect(parseApiKeys(["app:abc+/def=="])).toEqual([{ name: "app", key: "abc+/def==" }]);
  });

  it.each([
    ["a name with a space", "flows prod:secret-value-1"],
    ["a name of 33 characters", `${"n".repeat(33)}:secret-value-1`],
    ["an empty name", ":secret-value-1"],
    ["a name with a dot", "flows.prod:secret-value-1"],
  ])("refuses %s at start, pointing at the entry, repeating none of it", (_case, entry) => {
    const attempt = () => loadConfig({ API_KEYS: `first-key-0001,${entry}` });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow("API_KEYS entry 2: the caller name before the colon must be 1 to 32 of A-Z a-z 0-9 _ -.");
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain("secret-value-1");
      expect((error as Error).message).not.toContain(entry.split(":")[0] || "::");
    }
  });

  it("refuses a name with no key", () => {
    expect(() => loadConfig({ API_KEYS: "flows:" })).toThrow("API_KEYS entry 1: no key after the caller name.");
  });

  it("refuses two callers of one name, a bare key's positional name included", () => {
    expect(() => loadConfig({ API_KEYS: `flows:${FLOWS_KEY},flows:${OPS_KEY}` })).toThrow("API_KEYS entries 1 and 2 have the same caller name");
    expect(() => loadConfig({ API_KEYS: `${BARE_KEY},key-1:${OPS_KEY}` })).toThrow("API_KEYS entries 1 and 2 have the same caller name");
  });

  it("refuses one key under two names (the log could not say which caller it was), without echoing it", () => {
    const attempt = () => loadConfig({ API_KEYS: `a:${FLOWS_KEY},b:${FLOWS_KEY}` });
    expect(attempt).toThrow("API_KEYS entries 1 and 2 have the same key");
    expect(() => attempt()).not.toThrow(FLOWS_KEY);
  });

  it("judges a named key's length in production by the key, not the name", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      API_KEYS: "a-long-caller-name:short",
      COMMUNICATION_SERVICES_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/;accesskey=${"A".repeat(44)}`,
    });
    expect(productionProblems(config).join()).toContain("shorter than 16 characters");
  });

  it("npm start refuses a bad entry with one line on stderr, and the key's value nowhere", async () => {
    const run = startNodeService({ API_KEYS: `flows:${FLOWS_KEY},bad name:${OPS_KEY}` });
    await expect(run.listening).rejects.toThrow(/exited early/);
    const { stderr, stdout } = run.output();
    expect(run.child.exitCode).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      "acs-identity-connector: API_KEYS entry 2: the caller name before the colon must be 1 to 32 of A-Z a-z 0-9 _ -.",
    ]);
    expect(stderr + stdout).not.toContain(OPS_KEY);
    expect(stderr + stdout).not.toContain(FLOWS_KEY);
  });
});

describe("the audit fields of the log line, for API key callers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiKeys: [`flows-prod:${FLOWS_KEY}`, BARE_KEY] });
  });
  afterAll(() => h.close());

  /** The lines written while `run` ran. */
  async function linesOf(run: () => Promise<unknown>) {
    const before = h.logs.length;
    await run();
    return h.logs.slice(before);
  }

  it("names the caller, the action, the user and ACS's id for its answer, on every action", async () => {
    let userId = "";
    const [create] = await linesOf(async () => {
      userId = (await h.call("POST", "/v1/users", { key: FLOWS_KEY, body: { scopes: ["chat"] } })).json.userId;
    });
    expect(create).toMatchObject({ caller: "flows-prod", action: "CreateUser", userId, status: 201, route: "/v1/users" });

    const rest = await linesOf(async () => {
      expect((await h.call("POST", userPath(userId, "/tokens"), { key: BARE_KEY, body: { scopes: ["voip"] } })).status).toBe(200);
      expect((await h.call("DELETE", userPath(userId, "/tokens"), { key: FLOWS_KEY })).status).toBe(204);
      expect((await h.call("DELETE", userPath(userId), { key: BARE_KEY })).status).toBe(204);
    });
    expect(rest.map(({ caller, action, userId: user, status }) => ({ caller, action, user, status }))).toEqual([
      { caller: "key-2", action: "IssueAccessToken", user: userId, status: 200 },
      { caller: "flows-prod", action: "RevokeAccessTokens", user: userId, status: 204 },
      { caller: "key-2", action: "DeleteUser", user: userId, status: 204 },
    ]);
    // The emulator answers with an MS-CV correlation vector, as ACS does in the SDK's recordings: one per answer.
    const acsIds = [create, ...rest].map((line) => line!.acsRequestId);
    for (const id of acsIds) expect(id).toMatch(/^[A-Za-z0-9+/]{22}\.0$/);
    expect(new Set(acsIds).size).toBe(4);
  });

  it("answers 'who deleted this user' from the lines alone", async () => {
    const created = await h.call("POST", "/v1/users", { key: FLOWS_KEY });
    await h.call("DELETE", userPath(created.json.userId), { key: BARE_KEY });
    const deletions = h.logs.filter((line) => line.action === "DeleteUser" && line.userId === created.json.userId && line.status === 204);
    expect(deletions.map((line) => line.caller)).toEqual(["key-2"]);
    expect(Date.parse(deletions[0]!.time as string)).not.toBeNaN();
  });

  it("records a refused action with its outcome and ACS's id for the refusal", async () => {
    const [line] = await linesOf(() => h.call("DELETE", userPath(FOREIGN_USER_ID), { key: FLOWS_KEY }));
    expect(line).toMatchObject({ caller: "flows-prod", action: "DeleteUser", userId: FOREIGN_USER_ID, status: 404, code: "user_not_found" });
    expect(line!.acsRequestId).toMatch(/\.0$/);
  });

  it("records a wrong key as an action with no caller, and no invalid user id from the path", async () => {
    const [wrongKey] = await linesOf(() => h.call("DELETE", userPath(FOREIGN_USER_ID), { key: "not-a-key-of-this-service" }));
    expect(wrongKey).toMatchObject({ action: "DeleteUser", status: 401, code: "unauthorized" });
    expect(wrongKey).not.toHaveProperty("caller");
    expect(wrongKey).not.toHaveProperty("userId");
    const [badId] = await linesOf(() => h.call("DELETE", "/v1/users/not-an-id", { key: FLOWS_KEY }));
    expect(badId).toMatchObject({ caller: "flows-prod", action: "DeleteUser", status: 400, code: "validation_failed" });
    expect(badId).not.toHaveProperty("userId");
    expect(badId).not.toHaveProperty("acsRequestId");
  });

  it("names the Teams user of an exchange by object id", async () => {
    const [line] = await linesOf(() =>
      h.call("POST", "/v1/teams/tokens", { key: FLOWS_KEY, body: { teamsUserAadToken: teamsToken(), clientId: TEAMS_APP_ID, userObjectId: TEAMS_USER_OID } }),
    );
    expect(line).toMatchObject({ caller: "flows-prod", action: "ExchangeTeamsToken", teamsUserId: TEAMS_USER_OID, status: 200 });
  });

  it("writes no key and no token into any line", async () => {
    const created = await h.call("POST", "/v1/users", { key: FLOWS_KEY, body: { scopes: ["chat"] } });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain(FLOWS_KEY);
    expect(all).not.toContain(BARE_KEY);
    expect(all).not.toContain(created.json.token);
    expect(all).not.toContain("eyJ");
    expect(all).not.toContain(h.emulator.accessKey);
  });
});

describe("the audit fields of the log line, for Entra ID callers", () => {
  let issuer: EntraIssuer;
  let h: Harness;
  beforeAll(async () => {
    issuer = await startEntraIssuer();
    h = await startHarness({ apiKeys: [], entra: createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl: issuer.jwksUrl }) });
  });
  afterAll(async () => {
    await h.close();
    await issuer.close();
  });

  const APP = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
  const USER = "5e4d3c2b-1a09-4876-9543-210fedcba987";
  const bearer = (token: string) => ({ key: null, headers: { Authorization: `Bearer ${token}` } });

  it.each([
    ["an app acting as itself (v2: azp, roles)", {}, `app:${APP}`],
    ["an app acting as itself (v1: appid)", { iss: `https://sts.windows.net/${TENANT_ID}/`, ver: "1.0", azp: undefined, appid: APP }, `app:${APP}`],
    ["a signed-in user through an app (scp)", { roles: undefined, scp: "Identities.Manage", oid: USER }, `app:${APP}/user:${USER}`],
    ["a signed-in user (idtyp: user)", { idtyp: "user", oid: USER }, `app:${APP}/user:${USER}`],
    ["an app marked idtyp: app, whatever else it holds", { idtyp: "app", scp: "x", oid: USER }, `app:${APP}`],
  ])("names %s", async (_case, claims, caller) => {
    const token = await issuer.mint({ claims });
    const before = h.logs.length;
    const res = await h.call("POST", "/v1/users", bearer(token));
    expect(res.status).toBe(201);
    const [line] = h.logs.slice(before);
    expect(line).toMatchObject({ caller, action: "CreateUser", userId: res.json.userId, status: 201 });
    expect(JSON.stringify(h.logs)).not.toContain(token.split(".")[2]);
    expect(JSON.stringify(h.logs)).not.toContain(token.split(".")[1]);
  });

  it("refuses a token that names no client application", async () => {
    await h.clearRequests();
    const res = await h.call("POST", "/v1/users", bearer(await issuer.mint({ claims: { azp: undefined } })));
    expect(res.status).toBe(401);
    expect(res.json.detail).toContain("names no client application");
    expect(await h.requests()).toEqual([]);
  });
});

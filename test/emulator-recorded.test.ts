// Every real ACS answer Microsoft's SDK test suites recorded, replayed over raw signed HTTP: status, code, message,
// target, content type, framing and the api-supported-versions header. Sources (repository and path) are listed
// in src/emulator/README.md, "Recorded behaviour".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { signedFetch, type SignOptions } from "./helpers/emulator-sign.ts";
import { TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "./helpers/jwt.ts";

/** What the emulator lists: every version it answers, oldest first. */
const IDENTITIES_VERSIONS =
  "2020-07-20-preview2, 2021-02-22-preview1, 2021-03-07, 2021-03-31-preview1, 2021-10-31-preview, 2021-11-01, 2022-06-01, " +
  "2022-10-01, 2023-08-01, 2023-08-30-preview, 2023-10-01, 2025-03-02-preview, 2025-04-01-preview, 2025-06-30, 2026-07-22, 2026-09-23";
const TEAMS_VERSIONS =
  "2021-03-31-preview1, 2021-10-31-preview, 2022-06-01, 2022-10-01, 2023-08-01, 2023-08-30-preview, 2023-10-01, " +
  "2025-03-02-preview, 2025-04-01-preview, 2025-06-30, 2026-07-22, 2026-09-23";
const FOREIGN_ID = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const acs = (pathAndQuery: string, options?: SignOptions) => signedFetch(emulator, pathAndQuery, options);

async function createUser(version = "2023-10-01"): Promise<string> {
  const response = await acs(`/identities?api-version=${version}`, { body: {} });
  expect(response.status).toBe(201);
  return ((await response.json()) as { identity: { id: string } }).identity.id;
}

type Versions = "identities" | "teamsUser" | "absent";

/** An error answer exactly as recorded: `application/json`, sent chunked, the error body, the versions header or none. */
async function expectRecorded(response: Response, status: number, error: { code: string; message: string; target?: string }, versions: Versions) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("transfer-encoding")).toBe("chunked");
  expect(response.headers.get("content-length")).toBeNull();
  expect(await response.json()).toEqual({ error });
  const header = response.headers.get("api-supported-versions");
  expect(header).toBe(versions === "absent" ? null : versions === "identities" ? IDENTITIES_VERSIONS : TEAMS_VERSIONS);
}

/** A success as recorded: `application/json; charset=utf-8` with a Content-Length. */
async function expectSuccess(response: Response, status: number, versions: Exclude<Versions, "absent">): Promise<any> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const text = await response.text();
  expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
  expect(response.headers.get("api-supported-versions")).toBe(versions === "identities" ? IDENTITIES_VERSIONS : TEAMS_VERSIONS);
  return JSON.parse(text);
}

describe("the api-supported-versions lists", () => {
  /** `recorded` appears in `list` in the same order (the emulator knows later versions than any recording). */
  function expectInOrder(list: string, recorded: string) {
    const all = list.split(", ");
    const positions = recorded.split(", ").map((version) => all.indexOf(version));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }

  it("hold every list recorded on /identities and /teamsUser, in order", () => {
    // .NET SessionRecords CreateIdentityWithServiceVersion_V2021_03_07.json (March 2023).
    expectInOrder(
      IDENTITIES_VERSIONS,
      "2020-07-20-preview2, 2021-02-22-preview1, 2021-03-07, 2021-10-31-preview, 2021-11-01, 2022-06-01, 2022-10-01, 2023-08-01",
    );
    // JS recordings/node/communicationidentityclient_playbacklive_error_cases_ (June 2021).
    expectInOrder(IDENTITIES_VERSIONS, "2020-07-20-preview2, 2021-02-22-preview1, 2021-03-07, 2021-03-31-preview1");
    // Python recordings ...test_get_token_for_teams_user_with_wrong_user_object_id.json (2023).
    expectInOrder(TEAMS_VERSIONS, "2021-10-31-preview, 2022-06-01, 2022-10-01, 2023-08-01");
  });
});

describe("recorded answers: issue, revoke, delete", () => {
  it("issue with scopes [] -> 400 'Invalid scopes - Scopes field is required.', target scopes, versions listed", async () => {
    const id = encodeURIComponent(await createUser());
    const response = await acs(`/identities/${id}/:issueAccessToken?api-version=2023-10-01`, { body: { scopes: [] } });
    await expectRecorded(response, 400, { code: "ValidationError", message: "Invalid scopes - Scopes field is required.", target: "scopes" }, "identities");
  });

  it("issue with scopes null (as Python sends it) -> 400 'Scopes: The Scopes field is required.', target Scopes, no versions header", async () => {
    const id = encodeURIComponent(await createUser("2022-10-01"));
    const response = await acs(`/identities/${id}/:issueAccessToken?api-version=2022-10-01`, { body: '{"scopes": null, "expiresInMinutes": null}' });
    await expectRecorded(response, 400, { code: "ValidationError", message: "Scopes: The Scopes field is required.", target: "Scopes" }, "absent");
  });

  it.each([59, 1441])("issue and create+token with expiresInMinutes %i -> 400 naming the value, target ExpiresInMinutes", async (minutes) => {
    const error = {
      code: "ValidationError",
      message: `ExpiresInMinutes value ${minutes} is invalid. Value must be within the [60, 1440] interval.`,
      target: "ExpiresInMinutes",
    };
    const id = encodeURIComponent(await createUser("2022-10-01"));
    const issue = await acs(`/identities/${id}/:issueAccessToken?api-version=2022-10-01`, { body: { scopes: ["chat"], expiresInMinutes: minutes } });
    await expectRecorded(issue, 400, error, "identities");
    const create = await acs("/identities?api-version=2022-10-01", { body: { createTokenWithScopes: ["chat"], expiresInMinutes: minutes } });
    await expectRecorded(create, 400, error, "identities");
  });

  it.each([
    ["issue", "POST", "/:issueAccessToken", { scopes: ["chat", "voip"] }],
    ["revoke", "POST", "/:revokeAccessTokens", undefined],
    ["delete", "DELETE", "", undefined],
  ] as const)("%s for an id not of this resource -> 401 IdentityNotOwned", async (_name, method, suffix, body) => {
    const response = await acs(`/identities/${encodeURIComponent(FOREIGN_ID)}${suffix}?api-version=2021-03-07`, { method, body });
    await expectRecorded(response, 401, { code: "IdentityNotOwned", message: "Provided identity doesn't belong to the resource." }, "identities");
  });

  it("a deleted identity answers as a foreign one (assumed: no recording deletes and then reuses an id)", async () => {
    const id = encodeURIComponent(await createUser());
    expect((await acs(`/identities/${id}?api-version=2023-10-01`, { method: "DELETE" })).status).toBe(204);
    const response = await acs(`/identities/${id}/:revokeAccessTokens?api-version=2023-10-01`);
    await expectRecorded(response, 401, { code: "IdentityNotOwned", message: "Provided identity doesn't belong to the resource." }, "identities");
  });

  it("a bad HMAC signature -> 401 Denied (assumed: not in the Identity recordings)", async () => {
    const response = await acs("/identities?api-version=2023-10-01", { key: Buffer.alloc(32, 9).toString("base64") });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ error: { code: "Denied", message: "Denied by the resource provider." } });
  });
});

describe("recorded answers: successes", () => {
  it("create with an empty body, {} or nulls -> 201 { identity: { id } }", async () => {
    for (const body of [undefined, "{}", '{"createTokenWithScopes": null, "expiresInMinutes": null}']) {
      const json = await expectSuccess(await acs("/identities?api-version=2022-10-01", { body }), 201, "identities");
      expect(Object.keys(json)).toEqual(["identity"]);
      expect(json.identity.id).toMatch(new RegExp(`^8:acs:${emulator.resourceId}_`));
    }
  });

  it("create with a token of 60 minutes -> 201, expiresOn with seven fractional digits and +00:00, an hour ahead", async () => {
    const before = Date.now();
    const json = await expectSuccess(
      await acs("/identities?api-version=2022-10-01", { body: { createTokenWithScopes: ["chat", "voip"], expiresInMinutes: 60 } }),
      201,
      "identities",
    );
    expect(Object.keys(json)).toEqual(["identity", "accessToken"]);
    const after = Date.now();
    expect(json.accessToken.expiresOn).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/);
    // An hour from when the emulator answered: between the moments before and after the call, plus an hour.
    const expires = Date.parse(json.accessToken.expiresOn);
    expect(expires).toBeGreaterThan(before + 59 * 60 * 1000);
    expect(expires).toBeLessThanOrEqual(after + 60 * 60 * 1000);
  });

  it("issue -> 200 { token, expiresOn }; revoke and delete -> 204 with no body", async () => {
    const id = encodeURIComponent(await createUser());
    const json = await expectSuccess(
      await acs(`/identities/${id}/:issueAccessToken?api-version=2023-10-01`, { body: { scopes: ["chat"] } }),
      200,
      "identities",
    );
    expect(Object.keys(json)).toEqual(["token", "expiresOn"]);
    for (const [method, suffix] of [
      ["POST", "/:revokeAccessTokens"],
      ["DELETE", ""],
    ] as const) {
      const response = await acs(`/identities/${id}${suffix}?api-version=2023-10-01`, { method });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
      expect(response.headers.get("api-supported-versions")).toBe(IDENTITIES_VERSIONS);
    }
  });

  it("echoes x-ms-client-request-id and sends an MS-CV", async () => {
    const response = await acs("/identities?api-version=2023-10-01", { body: "{}", headers: { "x-ms-client-request-id": "f1dfa9886a51a8545cac1a4b31bf4b6b" } });
    expect(response.headers.get("x-ms-client-request-id")).toBe("f1dfa9886a51a8545cac1a4b31bf4b6b");
    expect(response.headers.get("ms-cv")).toMatch(/^[A-Za-z0-9+/]{22}\.0$/);
    await response.body?.cancel();
  });
});

describe("recorded answers: Teams token exchange", () => {
  const exchange = (body: Record<string, unknown>, version = "2022-10-01") => acs(`/teamsUser/:exchangeAccessToken?api-version=${version}`, { body });
  const good = () => ({ token: teamsToken(), appId: TEAMS_APP_ID, userId: TEAMS_USER_OID });
  const invalidToken = { code: "InvalidAccessToken", message: "Provided access token is not valid." };

  it.each([
    ["empty", ""],
    ["invalid", "invalid"],
    ["expired", teamsToken({}, -3600)],
  ])("a token that is %s -> 401 InvalidAccessToken, no versions header, checked before the other fields", async (_name, token) => {
    await expectRecorded(await exchange({ ...good(), token }), 401, invalidToken, "absent");
    await expectRecorded(await exchange({ token, appId: "", userId: "invalid" }), 401, invalidToken, "absent");
  });

  it("no body, or no token in it -> 400 'The body is either missing or doesn't contain any token.', no target, no versions header", async () => {
    const error = { code: "ValidationError", message: "The body is either missing or doesn't contain any token." };
    for (const body of [undefined, "{}", { appId: TEAMS_APP_ID, userId: TEAMS_USER_OID }, { token: null, appId: TEAMS_APP_ID, userId: TEAMS_USER_OID }]) {
      await expectRecorded(await acs("/teamsUser/:exchangeAccessToken?api-version=2022-10-01", { body }), 400, error, "absent");
    }
  });

  it.each([
    ["appId", "AppId"],
    ["userId", "UserId"],
  ])("%s empty -> 400 '%s: The ... field is required.', capitalised target, no versions header", async (field, name) => {
    const response = await exchange({ ...good(), [field]: "" }, "2022-06-01");
    await expectRecorded(response, 400, { code: "ValidationError", message: `${name}: The ${name} field is required.`, target: name }, "absent");
  });

  it.each([
    ["appId", "Provided AppId has invalid format."],
    ["userId", "Provided UserId has invalid format."],
  ])("%s not a GUID -> 400 '%s'", async (field, message) => {
    await expectRecorded(await exchange({ ...good(), [field]: "invalid" }), 400, { code: "ValidationError", message, target: field }, "teamsUser");
  });

  it("appId a GUID other than the token's appid -> 400 'AAD application is not the expected one.'", async () => {
    const response = await exchange({ ...good(), appId: "81e78ca8-ade5-4998-9c05-1e17f850fcfe" });
    await expectRecorded(response, 400, { code: "ValidationError", message: "AAD application is not the expected one.", target: "appId" }, "teamsUser");
  });

  it("userId a GUID other than the token's oid -> 400 'Provided AAD token issued for unexpected user.'", async () => {
    const response = await exchange({ ...good(), userId: TEAMS_APP_ID });
    await expectRecorded(response, 400, { code: "ValidationError", message: "Provided AAD token issued for unexpected user.", target: "userId" }, "teamsUser");
  });

  it("valid parameters -> 200 { token, expiresOn } with only the Teams versions listed", async () => {
    const json = await expectSuccess(await exchange(good()), 200, "teamsUser");
    expect(Object.keys(json)).toEqual(["token", "expiresOn"]);
    expect(json.expiresOn).toMatch(/\.\d{7}\+00:00$/);
  });
});

// Every api-version with exactly its spec's features (Azure/azure-rest-api-specs
// specification/communication/data-plane/Identity), refused outside them; and the request shapes of Microsoft's
// built-in Azure Communication Services Identity connector, which sends api-version 2021-03-07.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { signedFetch, type SignOptions } from "./helpers/emulator-sign.ts";
import { decodeJwt, TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "./helpers/jwt.ts";

type Teams = "none" | "token" | "token+app+user";
interface Spec {
  version: string;
  joinScopes: boolean;
  expiry: boolean;
  teams: Teams;
  customId?: "customId" | "externalId";
}
const old = { joinScopes: false, expiry: false };
const expiry = { joinScopes: false, expiry: true, teams: "token+app+user" as const };
const latest = { joinScopes: true, expiry: true, teams: "token+app+user" as const };
// Written from the specs, not from the emulator's table, so that a mistake in either shows.
const SPECS: Spec[] = [
  { version: "2020-07-20-preview2", ...old, teams: "none" },
  { version: "2021-02-22-preview1", ...old, teams: "none" },
  { version: "2021-03-07", ...old, teams: "none" },
  { version: "2021-03-31-preview1", ...old, teams: "token" },
  { version: "2021-10-31-preview", ...old, teams: "token" },
  { version: "2021-11-01", ...old, teams: "none" },
  { version: "2022-06-01", ...old, teams: "token+app+user" },
  { version: "2022-10-01", ...expiry },
  { version: "2023-08-01", ...expiry },
  { version: "2023-08-30-preview", ...expiry },
  { version: "2023-10-01", ...latest },
  { version: "2025-03-02-preview", ...latest, customId: "customId" },
  { version: "2025-04-01-preview", ...latest, customId: "externalId" },
  { version: "2025-06-30", ...latest },
  { version: "2026-07-22", ...latest },
  { version: "2026-09-23", ...latest },
];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const acs = (pathAndQuery: string, options?: SignOptions) => signedFetch(emulator, pathAndQuery, options);
const lifetimeSeconds = (token: string) => {
  const { payload } = decodeJwt(token);
  return (payload.exp as number) - (payload.iat as number);
};

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

describe.each(SPECS)("api-version $version", (spec) => {
  const q = `api-version=${spec.version}`;

  it("creates, issues, revokes and deletes", async () => {
    const created = await acs(`/identities?${q}`, { body: { createTokenWithScopes: ["chat", "voip"] } });
    expect(created.status).toBe(201);
    const { identity, accessToken } = (await created.json()) as { identity: { id: string }; accessToken: { token: string } };
    expect(decodeJwt(accessToken.token).payload.acsScope).toBe("chat,voip");
    const id = encodeURIComponent(identity.id);
    const issued = await acs(`/identities/${id}/:issueAccessToken?${q}`, { body: { scopes: ["voip"] } });
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as Record<string, string>;
    // Only preview2's answer also names the identity (its IssueToken example).
    expect(Object.keys(token).sort()).toEqual(spec.version === "2020-07-20-preview2" ? ["expiresOn", "id", "token"] : ["expiresOn", "token"]);
    expect((await acs(`/identities/${id}/:revokeAccessTokens?${q}`)).status).toBe(204);
    expect((await acs(`/identities/${id}?${q}`, { method: "DELETE" })).status).toBe(204);
  });

  it(spec.joinScopes ? "takes chat.join, chat.join.limited and voip.join" : "refuses the scopes of 2023-10-01", async () => {
    const response = await acs(`/identities?${q}`, { body: { createTokenWithScopes: ["chat.join", "chat.join.limited", "voip.join"] } });
    if (spec.joinScopes) {
      expect(response.status).toBe(201);
      await response.body?.cancel();
    } else {
      expect(await errorOf(response)).toMatchObject({ status: 400, code: "ValidationError" });
    }
  });

  it(spec.expiry ? "applies expiresInMinutes" : "ignores expiresInMinutes, a field it does not have", async () => {
    const response = await acs(`/identities?${q}`, { body: { createTokenWithScopes: ["chat"], expiresInMinutes: 60 } });
    expect(response.status).toBe(201);
    const { accessToken } = (await response.json()) as { accessToken: { token: string } };
    expect(lifetimeSeconds(accessToken.token)).toBe(spec.expiry ? 3600 : 86_400);
    // Out of range is refused only where the field exists.
    const out = await acs(`/identities?${q}`, { body: { createTokenWithScopes: ["chat"], expiresInMinutes: 59 } });
    expect(out.status).toBe(spec.expiry ? 400 : 201);
    await out.body?.cancel();
  });

  it(spec.teams === "none" ? "has no Teams exchange: 400 UnsupportedApiVersion" : `exchanges a Teams token (${spec.teams})`, async () => {
    const body = spec.teams === "token" ? { token: teamsToken() } : { token: teamsToken(), appId: TEAMS_APP_ID, userId: TEAMS_USER_OID };
    const response = await acs(`/teamsUser/:exchangeAccessToken?${q}`, { body });
    if (spec.teams === "none") {
      const error = await errorOf(response);
      expect(error).toMatchObject({ status: 400, code: "UnsupportedApiVersion" });
      expect(error.message).toContain(`does not support the API version '${spec.version}'`);
      return;
    }
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(decodeJwt(token).payload.skypeid).toBe(`orgid:${TEAMS_USER_OID}`);
    if (spec.teams === "token") {
      // The previews judge the token alone: appId and userId are not part of their request.
      const mismatched = await acs(`/teamsUser/:exchangeAccessToken?${q}`, { body: { token: teamsToken(), appId: "x", userId: "y" } });
      expect(mismatched.status).toBe(200);
      await mismatched.body?.cancel();
    }
  });

  if (spec.customId) {
    const field = spec.customId;
    it(`returns the same identity for the same ${field}, and GET /identities/{id} shows it`, async () => {
      const customId = `alice-${spec.version}@contoso.com`;
      const first = await acs(`/identities?${q}`, { body: { [field]: customId } });
      expect(first.status).toBe(201);
      const { identity } = (await first.json()) as { identity: Record<string, string> };
      expect(identity[field]).toBe(customId);
      const again = await acs(`/identities?${q}`, { body: { [field]: customId, createTokenWithScopes: ["chat"] } });
      // 2025-04-01-preview's spec answers a repeat 200; 2025-03-02-preview's lists only 201.
      expect(again.status).toBe(field === "externalId" ? 200 : 201);
      const repeat = (await again.json()) as { identity: Record<string, string>; accessToken: { expiresOn: string } };
      expect(repeat.identity.id).toBe(identity.id);
      expect(repeat.identity.lastTokenIssuedAt).toMatch(/\.\d{7}\+00:00$/);

      const got = await acs(`/identities/${encodeURIComponent(identity.id!)}?${q}`, { method: "GET" });
      expect(got.status).toBe(200);
      expect(await got.json()).toEqual({ id: identity.id, [field]: customId, lastTokenIssuedAt: repeat.identity.lastTokenIssuedAt });
    });

    it(`refuses a ${field} outside 1..256 characters`, async () => {
      for (const value of ["", "x".repeat(257), 42]) {
        const error = await errorOf(await acs(`/identities?${q}`, { body: { [field]: value } }));
        expect(error).toMatchObject({ status: 400, code: "ValidationError" });
      }
      const longest = await acs(`/identities?${q}`, { body: { [field]: spec.version.padEnd(256, "x") } });
      expect(longest.status).toBe(201);
      await longest.body?.cancel();
    });

    it("answers GET for an unknown id as issue/revoke/delete do", async () => {
      const foreign = encodeURIComponent("8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000");
      expect(await errorOf(await acs(`/identities/${foreign}?${q}`, { method: "GET" }))).toMatchObject({ status: 401, code: "IdentityNotOwned" });
    });
  } else {
    it("has no custom id: the field is ignored and GET /identities/{id} is 400 UnsupportedApiVersion", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const response = await acs(`/identities?${q}`, { body: { customId: "same", externalId: "same" } });
        expect(response.status).toBe(201);
        const { identity } = (await response.json()) as { identity: Record<string, string> };
        expect(Object.keys(identity)).toEqual(["id"]);
        ids.push(identity.id!);
      }
      expect(ids[0]).not.toBe(ids[1]);
      expect(await errorOf(await acs(`/identities/${encodeURIComponent(ids[0]!)}?${q}`, { method: "GET" }))).toMatchObject({
        status: 400,
        code: "UnsupportedApiVersion",
      });
    });
  }
});

describe("api-version refusals", () => {
  it("refuses no api-version with ApiVersionUnspecified and an unknown one with UnsupportedApiVersion", async () => {
    expect(await errorOf(await acs("/identities"))).toMatchObject({ status: 400, code: "ApiVersionUnspecified" });
    for (const version of ["2022-09-01", "2024-01-01", "2023-10-01-preview", "latest", ""]) {
      const error = await errorOf(await acs(`/identities?api-version=${version}`));
      expect(error, version).toMatchObject({ status: 400, code: "UnsupportedApiVersion" });
      // The URI without its query, as Azure-Samples/communication-services-web-calling-tutorial#8 recorded it.
      expect(error.message).toBe(
        `The HTTP resource that matches the request URI 'http://127.0.0.1:${emulator.port}/identities' does not support the API version '${version}'.`,
      );
    }
  });

  it("lists the supported versions on a refusal, so a client can pick one", async () => {
    const response = await acs("/teamsUser/:exchangeAccessToken?api-version=2021-03-07", { body: {} });
    expect(response.status).toBe(400);
    expect(response.headers.get("api-supported-versions")).toMatch(/^2021-03-31-preview1, 2021-10-31-preview, 2022-06-01, /);
    await response.body?.cancel();
  });
});

describe("the built-in Azure Communication Services Identity connector's requests (api-version 2021-03-07)", () => {
  // Its definition: POST /identities with an optional { createTokenWithScopes: ["chat"|"voip"] }; POST
  // /identities/{identityId}/:issueAccessToken with { scopes } (default ["chat"]); POST .../:revokeAccessTokens;
  // DELETE /identities/{identityId}; identityId single-encoded; JSON in and out.
  const q = "api-version=2021-03-07";
  const headers = { "Content-Type": "application/json", Accept: "application/json" };

  it("runs every action in turn", async () => {
    for (const body of [undefined, "{}", { createTokenWithScopes: [] }]) {
      const response = await acs(`/identities?${q}`, { body, headers });
      // An empty list of scopes is the one shape refused: the designer sends none or some.
      expect(response.status, JSON.stringify(body)).toBe(Array.isArray((body as { createTokenWithScopes?: unknown })?.createTokenWithScopes) ? 400 : 201);
      await response.body?.cancel();
    }
    const created = await acs(`/identities?${q}`, { body: { createTokenWithScopes: ["chat", "voip"] }, headers });
    expect(created.status).toBe(201);
    const { identity, accessToken } = (await created.json()) as { identity: { id: string }; accessToken: { token: string; expiresOn: string } };
    expect(Date.parse(accessToken.expiresOn)).toBeGreaterThan(Date.now());
    const id = encodeURIComponent(identity.id);
    const issued = await acs(`/identities/${id}/:issueAccessToken?${q}`, { body: { scopes: ["chat"] }, headers });
    expect(issued.status).toBe(200);
    expect(Object.keys(await issued.json()).sort()).toEqual(["expiresOn", "token"]);
    expect((await acs(`/identities/${id}/:revokeAccessTokens?${q}`, { headers })).status).toBe(204);
    expect((await acs(`/identities/${id}?${q}`, { method: "DELETE", headers })).status).toBe(204);
    expect(await errorOf(await acs(`/identities/${id}?${q}`, { method: "DELETE", headers }))).toMatchObject({ status: 401, code: "IdentityNotOwned" });
  });
});

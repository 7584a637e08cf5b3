import { Validator } from "@seriousme/openapi-schema-validator";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { createEntraVerifier, type EntraOptions } from "../src/entra.ts";
import { ACTIONS, actionPath } from "./helpers/actions.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { handMadeToken } from "./helpers/jwt.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

/** Entra ID callers: tokens from a local tenant stand-in whose JWKS is served on loopback. */
let issuer: EntraIssuer;
beforeAll(async () => {
  issuer = await startEntraIssuer();
});
afterAll(() => issuer.close());

const OTHER_TENANT = "11111111-2222-4333-8444-555555555555";
const now = () => Math.floor(Date.now() / 1000);

async function withService<T>(options: Partial<EntraOptions> & { apiKeys?: string[] }, run: (h: Harness) => Promise<T>) {
  const { apiKeys = ["test-key"], ...entraOptions } = options;
  const entra = createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl: issuer.jwksUrl, ...entraOptions });
  const h = await startHarness({ apiKeys, entra });
  try {
    return await run(h);
  } finally {
    await h.close();
  }
}

const bearer = (token: string) => ({ key: null, headers: { Authorization: `Bearer ${token}` } });

describe("accepted bearer tokens", () => {
  it.each([
    ["a v2 token", {}],
    ["a v1 token (sts.windows.net issuer)", { iss: `https://sts.windows.net/${TENANT_ID}/`, ver: "1.0" }],
    ["a token just past exp, within the clock skew", { exp: now() - 30 }],
    ["a token whose nbf is a few seconds ahead, within the clock skew", { nbf: now() + 30 }],
  ])("%s is let in, on every action", async (_name, claims) => {
    await withService({}, async (h) => {
      const token = await issuer.mint({ claims });
      const created = await h.call("POST", "/v1/users", { ...bearer(token), body: { scopes: ["chat"] } });
      expect(created.status).toBe(201);
      const user = userPath(created.json.userId);
      expect((await h.call("POST", `${user}/tokens`, { ...bearer(token), body: { scopes: ["voip"] } })).status).toBe(200);
      expect((await h.call("DELETE", `${user}/tokens`, bearer(token))).status).toBe(204);
      expect((await h.call("DELETE", user, bearer(token))).status).toBe(204);
    });
  });

  it("accepts API keys and bearer tokens side by side", async () => {
    await withService({ apiKeys: ["key-a"] }, async (h) => {
      expect((await h.call("POST", "/v1/users", { key: "key-a" })).status).toBe(201);
      expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
      // A right key lets the caller in even beside a wrong token, and a right token beside a wrong key.
      expect((await h.call("POST", "/v1/users", { key: "key-a", headers: { Authorization: "Bearer x.y.z" } })).status).toBe(201);
      expect((await h.call("POST", "/v1/users", { key: "wrong", headers: { Authorization: `Bearer ${await issuer.mint()}` } })).status).toBe(201);
    });
  });

  it("with ENTRA_REQUIRED_ROLE, accepts the role in roles or in the space-separated scp", async () => {
    await withService({ requiredRole: "Identities.Manage" }, async (h) => {
      expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
      const delegated = await issuer.mint({ claims: { roles: undefined, scp: "User.Read Identities.Manage" } });
      expect((await h.call("POST", "/v1/users", bearer(delegated))).status).toBe(201);
    });
  });
});

describe("refused bearer tokens: 401 problem+json with both challenges, nothing sent to ACS", () => {
  const cases: [string, () => Promise<string>, RegExp, string?][] = [
    [
      "a wrong signature (claims changed after signing)",
      async () => {
        const [header, , signature] = (await issuer.mint()).split(".");
        const forged = (await issuer.mint({ claims: { oid: "ffffffff-0000-4000-8000-000000000000" } })).split(".")[1];
        return `${header}.${forged}.${signature}`;
      },
      /signature does not verify/,
    ],
    [
      "HS256 keyed with the tenant's public key (algorithm confusion)",
      async () => {
        const claims = { iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`, aud: AUDIENCE, tid: TENANT_ID, exp: now() + 3600 };
        const publicJwk = (await (await fetch(issuer.jwksUrl)).json()).keys[0];
        return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: issuer.firstKid }).sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
      },
      /not signed with RS256/,
    ],
    [
      "alg none",
      async () =>
        handMadeToken(
          { alg: "none", kid: issuer.firstKid },
          { iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`, aud: AUDIENCE, tid: TENANT_ID, exp: now() + 3600 },
        ),
      /not signed with RS256|not a well-formed/,
    ],
    [
      "another tenant's issuer",
      () => issuer.mint({ claims: { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` } }),
      /another tenant or authority/,
    ],
    ["an issuer of another authority", () => issuer.mint({ claims: { iss: `https://evil.example/${TENANT_ID}/v2.0` } }), /another tenant or authority/],
    ["another audience", () => issuer.mint({ claims: { aud: "api://something-else" } }), /another audience/],
    ["an expired token", () => issuer.mint({ claims: { exp: now() - 600 } }), /expired/],
    ["a token not valid yet (nbf in the future)", () => issuer.mint({ claims: { nbf: now() + 600 } }), /not valid yet/],
    ["a token of another tenant (tid) under this tenant's issuer", () => issuer.mint({ claims: { tid: OTHER_TENANT } }), /another tenant/],
    ["a token without tid", () => issuer.mint({ claims: { tid: undefined } }), /tid claim/],
    [
      "a token signed with a key the tenant does not publish",
      async () => issuer.mint({ kid: await issuer.unpublishedKey() }),
      /key the tenant does not publish/,
    ],
    ["a token that is not a JWT", async () => "not-a-token", /not a well-formed/],
    [
      "a token without the required role",
      () => issuer.mint({ claims: { roles: ["Other.Role"], scp: "User.Read" } }),
      /lacks the Identities.Manage/,
      "insufficient_scope",
    ],
  ];

  it.each(cases)("%s", async (_name, makeToken, reason, error = "invalid_token") => {
    await withService({ requiredRole: "Identities.Manage" }, async (h) => {
      const token = await makeToken();
      for (const action of ACTIONS) {
        const res = await h.call(action.method, actionPath(action, FOREIGN_USER_ID), { ...bearer(token), body: action.body });
        expect(res.status).toBe(401);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(res.json).toMatchObject({ status: 401, code: "unauthorized" });
        expect(res.json.detail).toMatch(reason);
        const challenge = res.headers.get("www-authenticate")!;
        expect(challenge).toMatch(/^ApiKey realm="acs-identity-connector", header="X-API-Key", Bearer realm="acs-identity-connector", /);
        expect(challenge).toContain(`error="${error}"`);
        expect(res.text + challenge).not.toContain(token);
      }
      expect(await h.requests()).toEqual([]);
    });
  });

  it("without any credential, challenges both schemes and names no error (RFC 6750 3.1)", async () => {
    await withService({}, async (h) => {
      for (const headers of [{}, { Authorization: "Basic dXNlcjpwYXNz" }, { Authorization: "Bearer" }] as Record<string, string>[]) {
        const res = await h.call("POST", "/v1/users", { key: null, headers });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('ApiKey realm="acs-identity-connector", header="X-API-Key", Bearer realm="acs-identity-connector"');
        expect(res.json.detail).toMatch(/X-API-Key header or a Microsoft Entra ID access token/);
      }
    });
  });

  it("with Entra only (no API keys), challenges Bearer alone and refuses any key", async () => {
    await withService({ apiKeys: [] }, async (h) => {
      const res = await h.call("POST", "/v1/users", { key: "anything" });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="acs-identity-connector"');
      expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
    });
  });
});

describe("the tenant's keys (JWKS)", () => {
  it("are fetched once and cached across requests", async () => {
    await withService({}, async (h) => {
      const before = issuer.fetches();
      for (let i = 0; i < 5; i++) expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
      expect(issuer.fetches() - before).toBe(1);
    });
  });

  it("are fetched again for an unknown kid, so a rotated key is accepted", async () => {
    await withService({ cooldownMs: 0 }, async (h) => {
      const before = issuer.fetches();
      expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
      const rotated = await issuer.unpublishedKey();
      const token = await issuer.mint({ kid: rotated });
      expect((await h.call("POST", "/v1/users", bearer(token))).status).toBe(401);
      issuer.publish(rotated);
      expect((await h.call("POST", "/v1/users", bearer(token))).status).toBe(201);
      expect(issuer.fetches() - before).toBe(3);
    });
  });

  it("are refetched at most once per cooldown, however many unknown kids arrive", async () => {
    await withService({ cooldownMs: 60_000 }, async (h) => {
      const before = issuer.fetches();
      expect((await h.call("POST", "/v1/users", bearer(await issuer.mint()))).status).toBe(201);
      const unknown = await Promise.all(Array.from({ length: 20 }, async () => issuer.mint({ kid: await issuer.unpublishedKey() })));
      const answers = await Promise.all(unknown.map((token) => h.call("POST", "/v1/users", bearer(token))));
      expect(answers.map((res) => res.status)).toEqual(unknown.map(() => 401));
      // The first fetch started the cooldown: none of the 20 unknown kids may cause another one.
      expect(issuer.fetches() - before).toBe(1);
    });
  });

  it("out of reach is 502 upstream_unavailable, not 401: the caller's token may be fine", async () => {
    const gone = await startEntraIssuer();
    const token = await gone.mint();
    const jwksUrl = gone.jwksUrl;
    await gone.close();
    const h = await startHarness({ entra: createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl }) });
    try {
      const res = await h.call("POST", "/v1/users", bearer(token));
      expect(res.status).toBe(502);
      expect(res.json).toMatchObject({ code: "upstream_unavailable" });
      expect(res.json.detail).toMatch(/Entra ID's signing keys/);
      expect(await h.requests()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe("the OpenAPI document", () => {
  it("declares the Entra bearer scheme beside ApiKey, as alternatives, and stays valid", async () => {
    await withService({}, async (h) => {
      const document = (await h.call("GET", "/openapi.json", { key: null })).json;
      expect(document.security).toEqual([{ ApiKey: [] }, { Entra: [] }]);
      const entra = document.components.securitySchemes.Entra;
      expect(entra.type).toBe("oauth2");
      expect(entra.flows.authorizationCode).toEqual({
        authorizationUrl: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`,
        tokenUrl: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`,
        scopes: { [`${AUDIENCE}/.default`]: expect.any(String) },
      });
      expect(entra.description).toContain(TENANT_ID);
      expect((await new Validator().validate(document)).valid).toBe(true);
      // The connector definition still converts, and still authenticates its connection with the API key.
      const swagger = (await h.call("GET", "/swagger.json", { key: null })).json;
      expect(swagger.security).toEqual([{ api_key: [] }]);
    });
  });

  it("declares only Entra when no API key is accepted", async () => {
    await withService({ apiKeys: [] }, async (h) => {
      const document = (await h.call("GET", "/openapi.json", { key: null })).json;
      expect(document.security).toEqual([{ Entra: [] }]);
      expect(Object.keys(document.components.securitySchemes)).toEqual(["Entra"]);
      // The connector definition then signs its connection in with Entra ID (test/swagger-route.test.ts has the rest).
      const swagger = await h.call("GET", "/swagger.json", { key: null });
      expect(swagger.status).toBe(200);
      expect(swagger.json.security).toEqual([{ "oauth2-auth": [] }]);
    });
  });
});

describe("configuration", () => {
  it("reads ENTRA_TENANT_ID, ENTRA_AUDIENCE and ENTRA_REQUIRED_ROLE", () => {
    expect(loadConfig({ ENTRA_TENANT_ID: TENANT_ID, ENTRA_AUDIENCE: AUDIENCE, ENTRA_REQUIRED_ROLE: "Identities.Manage" }).entra).toEqual({
      tenantId: TENANT_ID,
      audience: AUDIENCE,
      requiredRole: "Identities.Manage",
    });
  });

  it.each([
    [{ ENTRA_TENANT_ID: "contoso.onmicrosoft.com", ENTRA_AUDIENCE: AUDIENCE }, /tenant's id \(a GUID\)/],
    [{ ENTRA_TENANT_ID: TENANT_ID }, /both ENTRA_TENANT_ID and ENTRA_AUDIENCE/],
    [{ ENTRA_REQUIRED_ROLE: "x" }, /ENTRA_REQUIRED_ROLE needs them/],
  ])("refuses %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

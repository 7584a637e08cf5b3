import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorFiles } from "../src/connector/files.ts";
import { createEntraVerifier } from "../src/entra.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const files = connectorFiles();
const committedDefinition = JSON.parse(String(files["apiDefinition.swagger.json"]));
const committedEntraDefinition = JSON.parse(String(files["entra/apiDefinition.swagger.json"]));

/** GET /swagger.json with any Host header: fetch would not send a Host of our choosing. */
function get(headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }> {
  const { hostname, port } = new URL(h.base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: "/swagger.json", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("GET /swagger.json", () => {
  it("is the generated connector definition, with the host it was called by; no API key needed", async () => {
    const res = await h.call("GET", "/swagger.json", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({ ...committedDefinition, host: new URL(h.base).host, schemes: ["https"] });
    expect(res.headers.get("vary")).toMatch(/X-Forwarded-Host/);
  });

  it("takes the host from the Host header", async () => {
    const res = await get({ Host: "identities.contoso.com" });
    expect(res.status).toBe(200);
    expect(res.json.host).toBe("identities.contoso.com");
    expect(res.json.schemes).toEqual(["https"]);
  });

  it("prefers the first X-Forwarded-Host of a list, port included", async () => {
    const res = await get({ Host: "10.0.0.4:8080", "X-Forwarded-Host": "Identities.Contoso.com:8443, proxy.internal" });
    expect(res.json.host).toBe("identities.contoso.com:8443");
  });

  it.each([
    ["X-Forwarded-Host", { Host: "ok.example.com", "X-Forwarded-Host": "evil.example.com/phish" }],
    ["X-Forwarded-Host", { Host: "ok.example.com", "X-Forwarded-Host": "user@evil.example.com" }],
    ["X-Forwarded-Host", { Host: "ok.example.com", "X-Forwarded-Host": "a.example.com:70000" }],
    ["X-Forwarded-Host", { Host: "ok.example.com", "X-Forwarded-Host": "-bad-.example.com" }],
    ["Host", { Host: "bad_host!" }],
  ])("refuses an invalid %s with 400, without echoing it", async (header, headers) => {
    const res = await get(headers);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(res.json.code).toBe("validation_failed");
    expect(res.json.detail).toContain(`The ${header} header is not a valid host name`);
    expect(JSON.stringify(res.json)).not.toMatch(/evil|bad_host|70000/);
    // Readable from a browser like the definition, so Logic Apps' HTTP + Swagger action can show the reason.
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it.each([
    ["http for a loopback host when the proxy says http", { "X-Forwarded-Host": "localhost:8080", "X-Forwarded-Proto": "http" }, ["http"]],
    ["http for 127.0.0.1", { Host: "127.0.0.1:3000", "X-Forwarded-Proto": "http, https" }, ["http"]],
    ["http for [::1]", { Host: "[::1]:3000", "X-Forwarded-Proto": "HTTP" }, ["http"]],
    ["https for a public host even when the proxy says http", { Host: "identities.contoso.com", "X-Forwarded-Proto": "http" }, ["https"]],
    ["https for a loopback host without X-Forwarded-Proto", { Host: "localhost:8080" }, ["https"]],
    ["https when the proxy says https", { Host: "localhost:8080", "X-Forwarded-Proto": "https" }, ["https"]],
  ])("schemes: %s", async (_name, headers, schemes) => {
    const res = await get(headers);
    expect(res.status).toBe(200);
    expect(res.json.schemes).toEqual(schemes);
  });

  it("is readable from any origin without credentials (Logic Apps' HTTP + Swagger fetches it from the browser), and never cached", async () => {
    const res = await get({ Host: "identities.contoso.com", Origin: "https://portal.azure.com" });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("the actions' CORS stays closed: no Access-Control-Allow-Origin for a page's origin", async () => {
    const res = await h.call("POST", "/v1/users", { headers: { Origin: "https://portal.azure.com" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never reaches ACS", async () => {
    await h.clearRequests();
    await get({ Host: "identities.contoso.com" });
    expect(await h.requests()).toEqual([]);
  });

  it("is left out of the OpenAPI document, like /openapi.json", () => {
    expect(Object.keys(h.document.paths ?? {})).not.toContain("/swagger.json");
  });
});

describe("GET /swagger.json and the service's caller authentication", () => {
  let issuer: EntraIssuer;
  beforeAll(async () => {
    issuer = await startEntraIssuer();
  });
  afterAll(() => issuer.close());

  async function withService(apiKeys: string[], run: (service: Harness) => Promise<void>) {
    const entra = createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl: issuer.jwksUrl });
    const service = await startHarness({ apiKeys, entra });
    try {
      await run(service);
    } finally {
      await service.close();
    }
  }

  it("with Entra ID alone, serves the Entra ID variant, whose connection's v1 token the service then accepts", async () => {
    await withService([], async (service) => {
      const res = await service.call("GET", "/swagger.json", { key: null });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...committedEntraDefinition, host: new URL(service.base).host, schemes: ["https"] });
      expect(Object.values(res.json.securityDefinitions)).toEqual([expect.objectContaining({ type: "oauth2", flow: "accessCode" })]);
      // What Power Platform's aad provider gets for the resource: a v1 token with the delegated scope in scp.
      const token = await issuer.mint({ claims: { iss: `https://sts.windows.net/${TENANT_ID}/`, ver: "1.0", roles: undefined, scp: "access_as_user" } });
      const created = await service.call("POST", "/v1/users", { key: null, headers: { Authorization: `Bearer ${token}` } });
      expect(created.status).toBe(201);
    });
  });

  it("with API keys and Entra ID, keeps serving the API key variant", async () => {
    await withService(["key-a"], async (service) => {
      const res = await service.call("GET", "/swagger.json", { key: null });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...committedDefinition, host: new URL(service.base).host, schemes: ["https"] });
      expect(res.json.securityDefinitions).toEqual({ api_key: expect.objectContaining({ type: "apiKey", name: "X-API-Key" }) });
    });
  });
});

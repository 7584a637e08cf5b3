import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorFiles } from "../src/connector/files.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const committedDefinition = JSON.parse(String(connectorFiles()["apiDefinition.swagger.json"]));

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

  it("never reaches ACS", async () => {
    await h.clearRequests();
    await get({ Host: "identities.contoso.com" });
    expect(await h.requests()).toEqual([]);
  });

  it("is left out of the OpenAPI document, like /openapi.json", () => {
    expect(Object.keys(h.document.paths ?? {})).not.toContain("/swagger.json");
  });
});

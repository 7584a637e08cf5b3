import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { rawRequest } from "./helpers/raw-http.ts";

/** CORS, security headers, and requests of absurd size. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ corsOrigins: ["https://flows.example.com", "http://localhost:3000"] });
});
afterAll(() => h.close());

const ALLOWED = "https://flows.example.com";
const preflight = (origin: string, base = h.base) =>
  rawRequest(base, {
    method: "OPTIONS",
    target: "/v1/users",
    headers: [
      ["Origin", origin],
      ["Access-Control-Request-Method", "POST"],
      ["Access-Control-Request-Headers", "x-api-key,content-type,x-ms-client-request-id"],
    ],
  });

describe("CORS", () => {
  it("answers a preflight from a listed origin with what a browser needs", async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(res.headers.vary).toMatch(/origin/i);
    const allowed = res.headers["access-control-allow-headers"]!.toLowerCase().split(",");
    expect(allowed).toEqual(expect.arrayContaining(["x-api-key", "authorization", "content-type", "x-ms-client-request-id"]));
    expect(res.headers["access-control-allow-methods"]!.split(",")).toEqual(expect.arrayContaining(["POST", "DELETE"]));
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("lets a listed origin read the request id and Retry-After of an answer", async () => {
    const res = await h.call("POST", "/v1/users", { headers: { Origin: ALLOWED } });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-expose-headers")!.toLowerCase().split(",")).toEqual([
      "x-ms-client-request-id",
      "retry-after",
      "ratelimit-policy",
      "ratelimit",
    ]);
  });

  it.each(["https://evil.example", "https://flows.example.com.evil.example", "null", "HTTPS://FLOWS.EXAMPLE.COM"])(
    "gives an unlisted origin (%s) no Access-Control-Allow-Origin",
    async (origin) => {
      expect((await preflight(origin)).headers["access-control-allow-origin"]).toBeUndefined();
      const res = await h.call("POST", "/v1/users", { headers: { Origin: origin } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("is closed to every origin when CORS_ORIGINS is empty", async () => {
    const closed = await startHarness();
    try {
      expect((await preflight(ALLOWED, closed.base)).headers["access-control-allow-origin"]).toBeUndefined();
      expect((await closed.call("POST", "/v1/users", { headers: { Origin: ALLOWED } })).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

describe("security headers", () => {
  const requests: [string, string, string, { key?: null; body?: unknown }][] = [
    ["a 201", "POST", "/v1/users", {}],
    ["a 401", "POST", "/v1/users", { key: null }],
    ["a 400", "POST", "/v1/users", { body: { scopes: [] } }],
    ["a 404", "GET", "/nowhere", {}],
    ["/health", "GET", "/health", {}],
    ["/openapi.json", "GET", "/openapi.json", {}],
  ];

  it.each(requests)("are on %s, with a no-content CSP on JSON", async (_name, method, path, options) => {
    const res = await h.call(method, path, options);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    // The actions' answers carry tokens: no cache may keep them.
    expect(res.headers.get("cache-control")).toBe(path.startsWith("/v1/") ? "no-store" : null);
  });

  it("are on a 204 too", async () => {
    const user = (await h.call("POST", "/v1/users")).json.userId;
    const res = await h.call("DELETE", userPath(user));
    expect(res.status).toBe(204);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("requests of absurd size", () => {
  it("refuses a 100 KB header with Node's 431, promptly and without reaching ACS", async () => {
    await h.clearRequests();
    const res = await rawRequest(h.base, {
      method: "POST",
      target: "/v1/users",
      headers: [
        ["X-API-Key", h.apiKeys[0]!],
        ["X-Padding", "a".repeat(100 * 1024)],
      ],
    });
    expect(res.status).toBe(431);
    expect(await h.requests()).toEqual([]);
    // The server is still fine afterwards.
    expect((await h.call("GET", "/health")).status).toBe(200);
  });

  it.each([
    ["a 10 KB user id", `/v1/users/${`8%3Aacs%3A${"a".repeat(10 * 1024)}`}/tokens`, 400, "validation_failed"],
    ["a 10 KB unknown path", `/v1/${"x".repeat(10 * 1024)}`, 404, "not_found"],
  ])("answers %s with a 4xx problem before any ACS call", async (_name, target, status, code) => {
    await h.clearRequests();
    const res = await rawRequest(h.base, {
      method: "POST",
      target,
      headers: [
        ["X-API-Key", h.apiKeys[0]!],
        ["Content-Type", "application/json"],
      ],
      body: '{"scopes":["chat"]}',
    });
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ status, code });
    expect(res.body).not.toContain("a".repeat(100));
    expect(await h.requests()).toEqual([]);
  });

  it("refuses a 20 KB path (past Node's header limit) with 431, not a hang or a 5xx", async () => {
    const res = await rawRequest(h.base, { method: "DELETE", target: `/v1/users/${"b".repeat(20 * 1024)}`, headers: [["X-API-Key", h.apiKeys[0]!]] });
    expect(res.status).toBe(431);
  });
});

import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { docsAssetUrl } from "../../src/docs-assets.ts";
import worker from "../../src/worker.ts";
import { decodeJwt, TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "../helpers/jwt.ts";

/**
 * Runs inside workerd: the Worker from wrangler.toml, with the real ACS SDK, calls the emulator that
 * global-setup.ts started on the Node side, over loopback.
 */

const apiKey = inject("workerApiKey");
const emulatorEndpoint = inject("acsEndpoint");

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  const isJson = /json/.test(response.headers.get("content-type") ?? "");
  return { status: response.status, headers: response.headers, text, json: text && isJson ? JSON.parse(text) : undefined };
}

/** Calls the Worker as the runtime does; `key: null` sends no X-API-Key. */
async function call(method: string, path: string, options: { body?: unknown; key?: string | null } = {}): Promise<Answer> {
  const headers = new Headers();
  const key = options.key === undefined ? apiKey : options.key;
  if (key !== null) headers.set("X-API-Key", key);
  if (options.body !== undefined) headers.set("Content-Type", "application/json");
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return answer(await exports.default.fetch(`https://worker.test${path}`, { method, headers, ...(body !== undefined && { body }) }));
}

async function emulator(method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, emulatorEndpoint), {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

const emulatorRequests = async (): Promise<{ method: string; path: string; status: number }[]> => (await emulator("GET", "/_emulator/requests")).requests;
const userPath = (userId: string, suffix = "") => `/v1/users/${encodeURIComponent(userId)}${suffix}`;

beforeEach(() => emulator("DELETE", "/_emulator/requests"));
afterEach(() => emulator("DELETE", "/_emulator/faults"));

describe("the Worker serves the same app as Node", () => {
  it("answers /health and /openapi.json without a key", async () => {
    const health = await call("GET", "/health", { key: null });
    expect(health).toMatchObject({ status: 200, json: { status: "ok" } });

    const openapi = await call("GET", "/openapi.json", { key: null });
    expect(openapi.status).toBe(200);
    expect(openapi.json.openapi).toBe("3.1.0");
    const operationIds = Object.values(openapi.json.paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((item) => Object.values(item).map((operation) => operation.operationId))
      .filter(Boolean)
      .sort();
    expect(operationIds).toEqual(["CreateUser", "DeleteUser", "ExchangeTeamsToken", "IssueAccessToken", "ListScopes", "RevokeAccessTokens", "TestConnection"]);
  });

  it("serves the Swagger 2.0 connector definition with the Worker's own host", async () => {
    const res = await call("GET", "/swagger.json", { key: null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ swagger: "2.0", host: "worker.test", schemes: ["https"] });
    expect(Object.keys(res.json.paths).sort()).toEqual([
      "/v1/connection",
      "/v1/scopes",
      "/v1/teams/tokens",
      "/v1/users",
      "/v1/users/{userId}",
      "/v1/users/{userId}/tokens",
    ]);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("serves the API reference page with its same-origin-only policy (its files come from [assets])", async () => {
    const page = await call("GET", "/docs", { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.text).toContain(`src="${docsAssetUrl("swagger-ui-bundle.js")}"`);
    expect(docsAssetUrl("swagger-ui-bundle.js")).toMatch(/^\/docs\/assets\/\d+\.\d+\.\d+\/swagger-ui-bundle\.js$/);
    const init = await call("GET", "/docs/init.js", { key: null });
    expect(init.status).toBe(200);
    expect(init.text).toContain("/openapi.json");
  });

  it("answers an unknown route with 404 problem+json", async () => {
    const res = await call("GET", "/nowhere", { key: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.code).toBe("not_found");
  });
});

describe("the five actions, through the real SDK in workerd", () => {
  it("creates a user, issues a token, revokes the tokens and deletes the user", async () => {
    const created = await call("POST", "/v1/users", { body: { scopes: ["chat", "voip"], expiresInMinutes: 60 } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json).sort()).toEqual(["expiresOn", "token", "userId"]);
    const userId: string = created.json.userId;
    expect(userId).toMatch(/^8:acs:[0-9a-f-]{36}_[0-9a-f-]+$/);
    const first = decodeJwt(created.json.token).payload;
    expect(first.skypeid).toBe(userId.slice(2));
    expect(first.acsScope).toBe("chat,voip");
    expect(first.exp).toBe(Date.parse(created.json.expiresOn) / 1000);

    const issued = await call("POST", userPath(userId, "/tokens"), { body: { scopes: ["chat.join"] } });
    expect(issued.status).toBe(200);
    expect(issued.json.userId).toBe(userId);
    expect(decodeJwt(issued.json.token).payload).toMatchObject({ skypeid: userId.slice(2), acsScope: "chat.join" });
    expect(await emulator("POST", "/_emulator/verify", { token: issued.json.token })).toMatchObject({ valid: true });

    const revoked = await call("DELETE", userPath(userId, "/tokens"));
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe("");
    expect(await emulator("POST", "/_emulator/verify", { token: issued.json.token })).toMatchObject({ valid: false });

    const deleted = await call("DELETE", userPath(userId));
    expect(deleted.status).toBe(204);
    const afterDelete = await call("POST", userPath(userId, "/tokens"), { body: { scopes: ["chat"] } });
    expect(afterDelete.status).toBe(404);
    expect(afterDelete.json.code).toBe("user_not_found");

    // The emulator checks every HMAC-SHA256 signature (made with node:crypto in workerd); a bad one is 401 Denied.
    expect((await emulatorRequests()).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 201", "POST 200", "POST 204", "DELETE 204", "POST 401"]);
  });

  it("creates a user without a token when no body is sent", async () => {
    const res = await call("POST", "/v1/users");
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(["userId"]);
  });

  it("creates a user from an empty body labelled text/plain (Workers' request headers are immutable)", async () => {
    const res = await answer(
      await exports.default.fetch("https://worker.test/v1/users", { method: "POST", headers: { "X-API-Key": apiKey, "Content-Type": "text/plain" }, body: "" }),
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.json)).toEqual(["userId"]);
  });

  it("reads a JSON body that comes without Content-Length (a stream)", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"scopes":["chat"]}'));
        controller.close();
      },
    });
    const res = await answer(
      await exports.default.fetch("https://worker.test/v1/users", {
        method: "POST",
        headers: { "X-API-Key": apiKey, "Content-Type": "application/json" },
        body,
      }),
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["expiresOn", "token", "userId"]);
  });

  it("exchanges a Teams user's token", async () => {
    const res = await call("POST", "/v1/teams/tokens", {
      body: { teamsUserAadToken: teamsToken(), clientId: TEAMS_APP_ID, userObjectId: TEAMS_USER_OID },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["expiresOn", "token"]);
    expect(decodeJwt(res.json.token).payload.skypeid).toBe(`orgid:${TEAMS_USER_OID}`);
  });
});

describe("errors", () => {
  it("answers 401 without a key, and nothing reaches ACS", async () => {
    const res = await call("POST", "/v1/users", { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("X-API-Key");
    expect(res.json).toMatchObject({ code: "unauthorized", status: 401 });
    expect(await emulatorRequests()).toEqual([]);
  });

  it("answers 400 to an invalid body, and nothing reaches ACS", async () => {
    const res = await call("POST", "/v1/users", { body: { scopes: ["chat", "email"], expiresInMinutes: 5 } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.code).toBe("validation_failed");
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["expiresInMinutes", "scopes[1]"]);
    expect(await emulatorRequests()).toEqual([]);
  });

  it("passes ACS throttling through as 429 with its Retry-After", async () => {
    await emulator("POST", "/_emulator/faults", { status: 429, times: 5, retryAfterSeconds: 120 });
    const res = await call("POST", "/v1/users");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("120");
    expect(res.json).toMatchObject({ code: "upstream_throttled", status: 429 });
    expect((await emulatorRequests()).map((r) => r.status)).toEqual([429]);
  });
});

describe("configuration errors", () => {
  /** The Worker with other bindings: each bindings object gets its own app, as a newly deployed Worker would. */
  async function callWith(env: Record<string, string>, path = "/v1/users") {
    const res = await answer(await worker.fetch(new Request(`https://worker.test${path}`, { method: "POST", headers: { "X-API-Key": "k" } }), env, undefined));
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.code).toBe("internal");
    return res;
  }

  it("says what to set when there is no ACS configuration (a Worker has no emulator)", async () => {
    const res = await callWith({ API_KEYS: "k" });
    expect(res.json.detail).toContain("COMMUNICATION_SERVICES_CONNECTION_STRING");
    expect(res.json.detail).toContain("wrangler secret put");
  });

  it("says that Entra ID to ACS needs the Node build", async () => {
    const res = await callWith({ API_KEYS: "k", COMMUNICATION_SERVICES_ENDPOINT: "https://example.communication.azure.com/" });
    expect(res.json.detail).toContain("Entra ID");
  });

  it("says that API_KEYS is missing", async () => {
    const res = await callWith({ COMMUNICATION_SERVICES_CONNECTION_STRING: inject("acsConnectionString") });
    expect(res.json.detail).toContain("API_KEYS");
  });

  it("never repeats the secret it could not use", async () => {
    const secret = "not-base64-but-secret!";
    const res = await callWith({
      API_KEYS: "k",
      COMMUNICATION_SERVICES_CONNECTION_STRING: `endpoint=https://example.communication.azure.com/;accesskey=${secret}`,
    });
    expect(res.json.detail).toContain("COMMUNICATION_SERVICES_CONNECTION_STRING");
    expect(res.text).not.toContain(secret);
  });

  it("answers /health with the same 500, so a probe sees the broken configuration", async () => {
    await callWith({}, "/health");
  });

  it("refuses Entra ID callers without ENTRA_REQUIRED_ROLE, naming the setting", async () => {
    const res = await callWith({
      API_KEYS: "a-key-long-enough-for-production",
      COMMUNICATION_SERVICES_CONNECTION_STRING: inject("acsConnectionString"),
      ENTRA_TENANT_ID: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
      ENTRA_AUDIENCE: "api://acs-identity-connector",
    });
    expect(res.json.detail).toContain("ENTRA_REQUIRED_ROLE");
  });
});

describe("a client that goes away mid-body", () => {
  it("is one info line saying aborted: no error line, no 500, nothing sent to ACS", async () => {
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((text: string) => void lines.push(JSON.parse(text)));
    try {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"scopes":["ch'));
          controller.error(new Error("connection lost"));
        },
      });
      const request = new Request("https://worker.test/v1/users", {
        method: "POST",
        headers: { "X-API-Key": apiKey, "Content-Type": "application/json", "x-ms-client-request-id": "worker-abort-1" },
        body,
      });
      await worker.fetch(request, env, undefined);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([expect.objectContaining({ requestId: "worker-abort-1", level: "info", aborted: true, status: 499 })]);
    expect(await emulatorRequests()).toEqual([]);
  });
});

describe("the rate limit per caller", () => {
  const runaway = crypto.randomUUID();
  const steady = crypto.randomUUID();
  /** Each bindings object is its own Worker deployment (see configuration errors). */
  const deployment = (extra: Record<string, unknown>) => ({
    COMMUNICATION_SERVICES_CONNECTION_STRING: inject("acsConnectionString"),
    API_KEYS: `runaway:${runaway},steady:${steady}`,
    ...extra,
  });
  const create = async (bindings: object, key: string) =>
    answer(await worker.fetch(new Request("https://worker.test/v1/users", { method: "POST", headers: { "X-API-Key": key } }), bindings, undefined));

  it("counts in Cloudflare's rate-limiting binding when RATE_LIMITER is bound", async () => {
    // The binding's simple.limit is 2 (vitest.worker.config.ts); RATE_LIMIT_PER_MINUTE tells callers the same.
    const bindings = deployment({ RATE_LIMIT_PER_MINUTE: "2", RATE_LIMITER: env.TEST_RATE_LIMITER });
    for (let i = 0; i < 2; i++) {
      const res = await create(bindings, runaway);
      expect(res.status).toBe(201);
      expect(res.headers.get("ratelimit-policy")).toBe('"per-caller";q=2;w=60');
      // The binding says only yes or no: no count of what is left.
      expect(res.headers.get("ratelimit")).toBeNull();
    }
    const refused = await create(bindings, runaway);
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ code: "rate_limited", status: 429 });
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.headers.get("ratelimit")).toBe('"per-caller";r=0;t=60');
    expect((await create(bindings, steady)).status).toBe(201);
    expect((await emulatorRequests()).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 201", "POST 201", "POST 201"]);
  });

  it("counts in the isolate when no binding is bound", async () => {
    const bindings = deployment({ RATE_LIMIT_PER_MINUTE: "1" });
    const first = await create(bindings, runaway);
    expect(first.status).toBe(201);
    expect(first.headers.get("ratelimit")).toMatch(/^"per-caller";r=0;t=\d+$/);
    const refused = await create(bindings, runaway);
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await create(bindings, steady)).status).toBe(201);
    expect(await emulatorRequests()).toHaveLength(2);
  });

  it("refuses a bound RATE_LIMITER without RATE_LIMIT_PER_MINUTE, which the headers need", async () => {
    const res = await create(deployment({ RATE_LIMITER: env.TEST_RATE_LIMITER }), steady);
    expect(res.status).toBe(500);
    expect(res.json.detail).toContain("RATE_LIMITER is bound but RATE_LIMIT_PER_MINUTE is not set");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { once } from "node:events";
import { ConfigError, loadConfig } from "../src/config.ts";
import { startEmulator } from "../src/emulator/index.ts";
import { windowLimiter } from "../src/middleware/rate-limit.ts";
import { type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { startNodeService } from "./helpers/node-service.ts";

/** RATE_LIMIT_PER_MINUTE: a limit per caller, refused before anything reaches ACS. */

const RUNAWAY_KEY = "cnVuYXdheS1sb29wLWtleS0wMDAx";
const STEADY_KEY = "c3RlYWR5LWZsb3cta2V5LTAwMDI=";
const LIMIT = 3;

/** `"per-caller";r=2;t=60` -> { r: 2, t: 60 } */
function rateLimitOf(header: string | null): { r: number; t: number } {
  const match = /^"per-caller";r=(\d+);t=(\d+)$/.exec(header ?? "");
  expect(match, `RateLimit: ${header}`).not.toBeNull();
  return { r: Number(match![1]), t: Number(match![2]) };
}

describe(`with RATE_LIMIT_PER_MINUTE=${LIMIT}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiKeys: [`runaway:${RUNAWAY_KEY}`, `steady:${STEADY_KEY}`], rateLimitPerMinute: LIMIT });
  });
  afterAll(() => h.close());

  it("lets a caller make exactly the limit, then answers 429 rate_limited, and nothing more reaches ACS", async () => {
    await h.clearRequests();
    for (let i = 1; i <= LIMIT; i++) {
      const res = await h.call("POST", "/v1/users", { key: RUNAWAY_KEY });
      expect(res.status).toBe(201);
      expect(res.headers.get("ratelimit-policy")).toBe(`"per-caller";q=${LIMIT};w=60`);
      const { r, t } = rateLimitOf(res.headers.get("ratelimit"));
      expect(r).toBe(LIMIT - i);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(60);
    }
    const before = h.logs.length;
    const refused = await h.call("POST", "/v1/users", { key: RUNAWAY_KEY, body: { scopes: ["chat"] } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.json).toMatchObject({ code: "rate_limited", status: 429, title: "This caller went over its rate limit" });
    expect(refused.json.detail).toContain("runaway");
    expect(refused.json.detail).toContain(`${LIMIT} requests per minute`);
    expect(refused.text).not.toContain(RUNAWAY_KEY);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.headers.get("ratelimit-policy")).toBe(`"per-caller";q=${LIMIT};w=60`);
    expect(rateLimitOf(refused.headers.get("ratelimit"))).toEqual({ r: 0, t: retryAfter });
    expect(h.logs.slice(before)).toMatchObject([{ caller: "runaway", action: "CreateUser", status: 429, code: "rate_limited" }]);

    // Every action is refused alike, whatever its input: the limit comes before validation.
    for (const [method, path, body] of [
      ["DELETE", userPath("8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000"), undefined],
      ["POST", "/v1/teams/tokens", { not: "valid" }],
    ] as const) {
      expect((await h.call(method, path, { key: RUNAWAY_KEY, ...(body && { body }) })).json.code).toBe("rate_limited");
    }
    expect((await h.requests()).map((r) => `${r.method} ${r.status}`)).toEqual(Array(LIMIT).fill("POST 201"));
  });

  it("keeps each caller's limit apart: another caller is still let through", async () => {
    await h.clearRequests();
    const res = await h.call("POST", "/v1/users", { key: STEADY_KEY });
    expect(res.status).toBe(201);
    expect(rateLimitOf(res.headers.get("ratelimit")).r).toBe(LIMIT - 1);
    expect((await h.call("POST", "/v1/users", { key: RUNAWAY_KEY })).status).toBe(429);
    expect(await h.requests()).toHaveLength(1);
  });

  it("comes before the method and body checks: past the limit, a wrong method or an oversized text body is 429", async () => {
    await h.clearRequests();
    const oversized = await h.call("POST", "/v1/users", { key: RUNAWAY_KEY, rawBody: "x".repeat(20 * 1024), headers: { "Content-Type": "text/plain" } });
    expect([oversized.status, oversized.json.code]).toEqual([429, "rate_limited"]);
    const wrongMethod = await h.call("GET", "/v1/users", { key: RUNAWAY_KEY });
    expect([wrongMethod.status, wrongMethod.json.code]).toEqual([429, "rate_limited"]);
    expect(await h.requests()).toEqual([]);
  });

  it("counts a caller's refused input too, and tells the limit on error answers", async () => {
    const res = await h.call("POST", "/v1/users", { key: STEADY_KEY, body: { scopes: ["email"] } });
    expect(res.status).toBe(400);
    expect(res.headers.get("ratelimit-policy")).toBe(`"per-caller";q=${LIMIT};w=60`);
    expect(rateLimitOf(res.headers.get("ratelimit")).r).toBe(LIMIT - 2);
  });
});

describe("what the limit does not count", () => {
  it("a request with a wrong key is 401 and spends no caller's budget", async () => {
    const h = await startHarness({ apiKeys: [`only:${STEADY_KEY}`], rateLimitPerMinute: 1 });
    try {
      for (let i = 0; i < 3; i++) expect((await h.call("POST", "/v1/users", { key: "wrong-key" })).status).toBe(401);
      expect((await h.call("POST", "/v1/users", { key: STEADY_KEY })).status).toBe(201);
      expect((await h.call("POST", "/v1/users", { key: STEADY_KEY })).status).toBe(429);
    } finally {
      await h.close();
    }
  });

  it("is off by default: no limit and no RateLimit headers", async () => {
    const h = await startHarness({ apiKeys: [STEADY_KEY] });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await h.call("POST", "/v1/users", { key: STEADY_KEY });
        expect(res.status).toBe(201);
        expect(res.headers.get("ratelimit-policy")).toBeNull();
        expect(res.headers.get("ratelimit")).toBeNull();
      }
    } finally {
      await h.close();
    }
  });
});

describe("the window", () => {
  it("opens at a caller's first request and starts afresh a minute later (clock given)", () => {
    let now = 1_000_000;
    const take = windowLimiter(2, () => now);
    expect(take("a")).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    now += 10_000;
    expect(take("a")).toEqual({ allowed: true, remaining: 0, resetSeconds: 50 });
    expect(take("b")).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    now += 19_500;
    expect(take("a")).toEqual({ allowed: false, remaining: 0, resetSeconds: 31 });
    now += 30_500;
    expect(take("a")).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(take("b")).toEqual({ allowed: true, remaining: 0, resetSeconds: 10 });
  });
});

describe("RATE_LIMIT_PER_MINUTE", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["0", undefined],
    ["120", 120],
  ])("%j gives %j", (value, expected) => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: value }).rateLimitPerMinute).toBe(expected);
  });

  it("refuses what is not a whole number", () => {
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: "ten" })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: "1.5" })).toThrow("RATE_LIMIT_PER_MINUTE must be an integer from 0 to 1000000");
  });
});

describe("the description tells Power Platform what the 429 carries", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("every action's 429 names rate_limited and its headers, in /openapi.json and /swagger.json", async () => {
    const openapi = (await h.call("GET", "/openapi.json", { key: null })).json;
    const swagger = (await h.call("GET", "/swagger.json", { key: null, headers: { "X-Forwarded-Proto": "http" } })).json;
    for (const document of [openapi, swagger]) {
      const operations = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((item) => Object.values(item));
      const actions = operations
        .filter((operation) => operation.security === undefined || operation.security.length > 0)
        .filter((operation) => operation.responses["401"]);
      expect(actions.length).toBeGreaterThanOrEqual(5);
      for (const operation of actions) {
        const tooMany = operation.responses["429"];
        expect(tooMany.description).toContain("rate_limited");
        expect(Object.keys(tooMany.headers).sort()).toEqual(["RateLimit", "RateLimit-Policy", "Retry-After"]);
      }
    }
  });
});

describe("npm start with RATE_LIMIT_PER_MINUTE and named keys", () => {
  it("limits each caller in the process and names it in the stdout lines, never its key", async () => {
    const emulator = await startEmulator();
    const run = startNodeService({
      COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString,
      API_KEYS: `runaway:${RUNAWAY_KEY},steady:${STEADY_KEY}`,
      RATE_LIMIT_PER_MINUTE: "1",
    });
    try {
      const base = await run.listening;
      const create = (key: string) => fetch(`${base}/v1/users`, { method: "POST", headers: { "X-API-Key": key } });
      expect((await create(RUNAWAY_KEY)).status).toBe(201);
      const refused = await create(RUNAWAY_KEY);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("ratelimit-policy")).toBe('"per-caller";q=1;w=60');
      expect((await create(STEADY_KEY)).status).toBe(201);
      run.child.kill("SIGTERM");
      await once(run.child, "exit");
      const { stdout, stderr } = run.output();
      const lines = stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines.map(({ caller, action, status, code }) => ({ caller, action, status, code }))).toEqual([
        { caller: "runaway", action: "CreateUser", status: 201, code: undefined },
        { caller: "runaway", action: "CreateUser", status: 429, code: "rate_limited" },
        { caller: "steady", action: "CreateUser", status: 201, code: undefined },
      ]);
      for (const key of [RUNAWAY_KEY, STEADY_KEY]) expect(stdout + stderr).not.toContain(key);
      const seen = await (await fetch(new URL("/_emulator/requests", emulator.endpoint))).json();
      expect(seen.requests).toHaveLength(2);
    } finally {
      run.child.kill("SIGKILL");
      await emulator.close();
    }
  });
});

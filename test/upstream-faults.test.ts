import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTIONS, actionPath } from "./helpers/actions.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

/** ACS faults, injected in the emulator, as the service reports them under the deadline rule (README: "Errors"). */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeoutMs: 2_500 });
});
afterAll(() => h.close());
beforeEach(() => h.clearRequests());
afterEach(() => h.clearFaults());

const statuses = async () => (await h.requests()).map((r) => r.status);

describe("throttling", () => {
  it("passes a 429 through with its Retry-After when waiting would pass the deadline", async () => {
    await h.fault({ status: 429, times: 5, retryAfterSeconds: 30 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ code: "upstream_throttled", status: 429 });
    expect(await statuses()).toEqual([429]);
  });

  it("retries after a short Retry-After and succeeds", async () => {
    await h.fault({ status: 429, times: 1, retryAfterSeconds: 1 });
    const res = await h.call("POST", "/v1/users", { body: { scopes: ["chat"] } });
    expect(res.status).toBe(201);
    expect(await statuses()).toEqual([429, 201]);
  });

  it("keeps retrying only while the wait ends before the deadline", async () => {
    await h.fault({ status: 429, times: 10, retryAfterSeconds: 1 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    // Waits of 1 s each: at 0 s, 1 s and 2 s; a third wait would end at 3 s, past the 2.5 s deadline.
    expect(await statuses()).toEqual([429, 429, 429]);
  });
});

describe("ACS failures", () => {
  it.each([500, 503])("retries a single %i and succeeds", async (status) => {
    await h.fault({ status, times: 1 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(201);
    expect(await statuses()).toEqual([status, 201]);
  });

  it.each([500, 503])("answers 502 upstream_unavailable when %i persists", async (status) => {
    await h.fault({ status, times: 10 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ code: "upstream_unavailable", status: 502 });
    expect(res.json.detail).toContain(String(status));
    const seen = await statuses();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((s) => s === status)).toBe(true);
  });

  it("answers 502 upstream_unavailable when ACS drops every connection", async () => {
    await h.fault({ drop: true, times: 10 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(502);
    expect(res.json.code).toBe("upstream_unavailable");
  });

  it("recovers from one dropped connection", async () => {
    await h.fault({ drop: true, times: 1 });
    const res = await h.call("POST", "/v1/users");
    expect(res.status).toBe(201);
  });

  it("answers 504 upstream_timeout when ACS is still silent at the deadline", async () => {
    await h.fault({ delayMs: 6_000, times: 1 });
    const started = Date.now();
    const res = await h.call("POST", "/v1/users");
    const took = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.json).toMatchObject({ code: "upstream_timeout", status: 504 });
    expect(took).toBeGreaterThanOrEqual(2_400);
    expect(took).toBeLessThan(5_000);
  });

  it("counts the deadline from the first attempt, so a retry cannot stretch it", async () => {
    // Attempt 1 is throttled for 1 s; the retry then hangs. One deadline for the whole call answers 504 at 2.5 s;
    // a per-attempt timeout would answer at 1 s + 2.5 s.
    await h.fault({ status: 429, times: 1, retryAfterSeconds: 1 });
    await h.fault({ delayMs: 6_000, times: 1 });
    const started = Date.now();
    const res = await h.call("POST", "/v1/users");
    const took = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.json.code).toBe("upstream_timeout");
    expect(await statuses()).toEqual([429, null]);
    expect(took).toBeGreaterThanOrEqual(2_400);
    expect(took).toBeLessThan(3_300);
  });

  it("a slow but timely ACS is not an error", async () => {
    await h.fault({ delayMs: 300, times: 1 });
    expect((await h.call("POST", "/v1/users")).status).toBe(201);
  });
});

describe("ACS refusing the service's own key", () => {
  it("is 502 upstream_auth_failed on every action, never 401 and never user_not_found", async () => {
    const wrong = await startHarness({ serviceAccessKey: Buffer.alloc(32, 7).toString("base64") });
    try {
      const userId = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000001";
      for (const action of ACTIONS.filter((action) => action.callsAcs)) {
        const [method, path] = [action.method, actionPath(action, userId)];
        const res = await wrong.call(method, path, { body: action.body });
        expect(res.status, `${method} ${path}`).toBe(502);
        expect(res.json.code).toBe("upstream_auth_failed");
        expect(res.text).not.toContain(wrong.emulator.accessKey);
      }
    } finally {
      await wrong.close();
    }
  });
});

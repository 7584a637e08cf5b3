import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/middleware/json-body.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

/** Bodies built to cost the service: deep nesting, and bodies that are all mistakes. Always a 400, never a 5xx. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const POST_ACTIONS = [
  ["CreateUser", "/v1/users"],
  ["IssueAccessToken", userPath(FOREIGN_USER_ID, "/tokens")],
  ["ExchangeTeamsToken", "/v1/teams/tokens"],
] as const;

const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

describe("nesting", () => {
  it.each(POST_ACTIONS)("%s: 8,000 levels beside a null field is a 400 validation_failed, not a 500, and nothing reaches ACS", async (_name, path) => {
    await h.clearRequests();
    const body = `{"expiresInMinutes":null,"x":${nested(8_000)}}`;
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    const res = await h.call("POST", path, { rawBody: body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "validation_failed", errors: [{ path: "body", message: "Nested deeper than 32 levels." }] });
    expect(await h.requests()).toEqual([]);
    expect(h.logs.filter((line) => line.level === "error")).toEqual([]);
  });

  it("32 levels are read as JSON (the body's own object is the first); 33 are refused unread", async () => {
    const at32 = await h.call("POST", "/v1/users", { rawBody: `{"x":${nested(31)}}`, headers: { "Content-Type": "application/json" } });
    expect(at32.status).toBe(400);
    expect(at32.json.errors).toEqual([{ path: "x", message: "Unknown field: this action does not take it." }]);
    const at33 = await h.call("POST", "/v1/users", { rawBody: `{"x":${nested(32)}}`, headers: { "Content-Type": "application/json" } });
    expect(at33.json.errors).toEqual([{ path: "body", message: "Nested deeper than 32 levels." }]);
  });

  it("brackets inside strings, escaped quotes included, are not nesting", async () => {
    const text = `\\"${"[{".repeat(200)}`;
    const res = await h.call("POST", "/v1/users", { rawBody: `{"scopes":["chat"],"note":"${text}"}`, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: "note", message: "Unknown field: this action does not take it." }]);
  });
});

describe("a body that is all mistakes", () => {
  it("2,000 bad scopes: the first 10 problems are listed and the rest counted; the answer is smaller than the request", async () => {
    const body = JSON.stringify({ scopes: Array.from({ length: 2_000 }, () => "x") });
    const res = await h.call("POST", "/v1/users", { rawBody: body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("validation_failed");
    expect(res.json.errors).toHaveLength(10);
    expect(res.json.errors[0]).toEqual({ path: "scopes[0]", message: expect.stringMatching(/^Must be one of /) });
    expect(res.json.detail).toMatch(/And \d+ more problems not listed\.$/);
    expect(res.text.length).toBeLessThan(body.length);
  });

  it("50 unknown fields with 300-character names: capped, and each name cut to 100 characters", async () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(300, "k"), 1])));
    const res = await h.call("POST", "/v1/users", { rawBody: body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(10);
    for (const error of res.json.errors) expect(error.path).toMatch(/^\d+k+\.\.\.$/);
    for (const error of res.json.errors) expect(error.path).toHaveLength(103);
    expect(res.json.detail).toMatch(/And 40 more problems not listed\.$/);
    expect(res.text.length).toBeLessThan(body.length);
  });

  it("a handful of problems are all listed, with no count", async () => {
    const res = await h.call("POST", "/v1/users", { body: { scopes: ["x", "chat", "chat"], expiresInMinutes: 5 } });
    expect(res.status).toBe(400);
    expect(res.json.errors.length).toBeGreaterThan(1);
    expect(res.json.errors.length).toBeLessThanOrEqual(10);
    expect(res.json.detail).not.toContain("not listed");
  });
});

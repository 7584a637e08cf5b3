import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // An unexpected failure inside a handler: what no input of the real actions can cause on purpose.
  h.app.get("/v1/fails", () => {
    throw new TypeError("handler bug with a detail the caller must not see");
  });
});
afterAll(() => h.close());

describe("the one log line per request", () => {
  it("a 500 writes one line, the request's, with the failure's name and stack; the answer has neither", async () => {
    const before = h.logs.length;
    const res = await h.call("GET", "/v1/fails", { headers: { "x-ms-client-request-id": "fails-once" } });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ code: "internal", status: 500, requestId: "fails-once" });
    expect(res.text).not.toContain("TypeError");
    expect(res.text).not.toContain("handler bug");
    const lines = h.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: "fails-once",
      method: "GET",
      route: "/v1/fails",
      status: 500,
      code: "internal",
      level: "error",
      error: "TypeError",
    });
    expect(lines[0]!.stack).toMatch(/^TypeError: handler bug/);
    expect(String(lines[0]!.stack).split("\n").length).toBeLessThanOrEqual(6);
  });

  it("an error the service answers on purpose writes one line with its code and no failure fields", async () => {
    const before = h.logs.length;
    const res = await h.call("POST", "/v1/users", { body: { scopes: [] } });
    expect(res.status).toBe(400);
    const lines = h.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ route: "/v1/users", status: 400, code: "validation_failed" });
    expect(lines[0]).not.toHaveProperty("level");
    expect(lines[0]).not.toHaveProperty("stack");
  });
});

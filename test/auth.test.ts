import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys: ["key-one", "key-two"] });
});
afterAll(() => h.close());

describe("key rotation", () => {
  it("accepts every key in API_KEYS", async () => {
    for (const key of ["key-one", "key-two"]) {
      expect((await h.call("POST", "/v1/users", { key })).status).toBe(201);
    }
  });

  it("does not need a key for /health and /openapi.json", async () => {
    expect((await h.call("GET", "/health", { key: null })).status).toBe(200);
    expect((await h.call("GET", "/openapi.json", { key: null })).status).toBe(200);
  });
});

describe("no keys configured", () => {
  it("refuses every caller rather than letting everyone in", async () => {
    const open = await startHarness({ apiKeys: [] });
    try {
      const res = await open.call("POST", "/v1/users", { key: "anything" });
      expect(res.status).toBe(401);
    } finally {
      await open.close();
    }
  });
});

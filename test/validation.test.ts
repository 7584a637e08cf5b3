import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { userActions } from "./helpers/actions.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

let h: Harness;
let knownUser: string;
beforeAll(async () => {
  h = await startHarness();
  knownUser = (await h.call("POST", "/v1/users")).json.userId;
});
afterAll(() => h.close());
beforeEach(() => h.clearRequests());

/** Every refusal here is problem+json with the given status and code, and reaches nothing upstream. */
async function expectRefused(res: Awaited<ReturnType<Harness["call"]>>, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String) });
  expect(res.json.requestId).toBe(res.headers.get("x-ms-client-request-id"));
  expect(await h.requests()).toEqual([]);
}

const tokens = () => userPath(knownUser, "/tokens");

describe("body validation: 400 validation_failed, nothing sent to ACS", () => {
  const cases: [string, unknown, string][] = [
    ["missing scopes", {}, "scopes"],
    ["empty scopes", { scopes: [] }, "scopes"],
    ["an unknown scope", { scopes: ["chat", "pstn"] }, "scopes[1]"],
    ["a repeated scope", { scopes: ["chat", "chat"] }, "scopes"],
    ["scopes as a string", { scopes: "chat" }, "scopes"],
    ["expiresInMinutes 59", { scopes: ["chat"], expiresInMinutes: 59 }, "expiresInMinutes"],
    ["expiresInMinutes 1441", { scopes: ["chat"], expiresInMinutes: 1441 }, "expiresInMinutes"],
    ['expiresInMinutes "60"', { scopes: ["chat"], expiresInMinutes: "60" }, "expiresInMinutes"],
    ["expiresInMinutes 60.5", { scopes: ["chat"], expiresInMinutes: 60.5 }, "expiresInMinutes"],
    ["an unknown field", { scopes: ["chat"], expiresInMinute: 60 }, "expiresInMinute"],
  ];

  it.each(cases)("Issue a user access token refuses %s", async (_name, body, path) => {
    const res = await h.call("POST", tokens(), { body });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    for (const error of res.json.errors) expect(error.message).toMatch(/\w/);
  });

  it.each(cases.filter(([name]) => name !== "missing scopes"))("Create a user refuses %s", async (_name, body, path) => {
    const res = await h.call("POST", "/v1/users", { body });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("Create a user refuses expiresInMinutes without scopes", async () => {
    const res = await h.call("POST", "/v1/users", { body: { expiresInMinutes: 120 } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([{ path: "expiresInMinutes", message: expect.stringContaining("scopes") }]);
  });

  it("Issue a user access token refuses a request with no body", async () => {
    await expectRefused(await h.call("POST", tokens()), 400, "validation_failed");
  });

  it.each([
    ["malformed JSON", '{"scopes": ["chat"'],
    ["a JSON array", '["chat"]'],
    ["a JSON string", '"chat"'],
  ])("refuses %s", async (_name, rawBody) => {
    for (const path of ["/v1/users", tokens(), "/v1/teams/tokens"]) {
      const res = await h.call("POST", path, { rawBody, headers: { "Content-Type": "application/json" } });
      await expectRefused(res, 400, "validation_failed");
    }
  });

  it.each([
    ["missing fields", {}],
    [
      "a token that is not a JWT",
      { teamsUserAadToken: "not-a-jwt", clientId: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b", userObjectId: "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f" },
    ],
    ["ids that are not GUIDs", { teamsUserAadToken: "a.b.c", clientId: "app", userObjectId: "user" }],
  ])("Exchange a Teams user's token refuses %s", async (_name, body) => {
    await expectRefused(await h.call("POST", "/v1/teams/tokens", { body }), 400, "validation_failed");
  });
});

describe("user id validation: 400 before any ACS call", () => {
  const ids: [string, string][] = [
    ["garbage", "not-a-user"],
    ["a Teams user id", "8:orgid:9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f"],
    ["a phone number", "4:+14255550123"],
    ["an id with a slash", "8:acs:4ccc92c8-9815-4422-bddc-ceea181dc774_00000006/19e0"],
    ["an id with a trailing space", `${FOREIGN_USER_ID} `],
    ["a very long id", `8:acs:4ccc92c8-9815-4422-bddc-ceea181dc774_${"0".repeat(500)}`],
  ];
  it.each(ids)("refuses %s on all three user actions", async (_name, id) => {
    for (const [method, path, body] of userActions(id)) {
      const res = await h.call(method, path, { body });
      await expectRefused(res, 400, "validation_failed");
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(["userId"]);
    }
  });

  it("accepts the sovereign-cloud prefixes (and asks ACS, which does not know them here)", async () => {
    for (const prefix of ["gcch-acs", "dod-acs", "spool"]) {
      const res = await h.call("DELETE", userPath(FOREIGN_USER_ID.replace("acs", prefix)));
      expect(res.status).toBe(404);
    }
  });
});

describe("body size and content type", () => {
  it("refuses a 17 KiB body with 413 payload_too_large", async () => {
    const res = await h.call("POST", tokens(), { body: { scopes: ["chat"], padding: "x".repeat(17 * 1024) } });
    await expectRefused(res, 413, "payload_too_large");
  });

  it("refuses a 17 KiB chunked body (no Content-Length) with 413", async () => {
    const chunk = new TextEncoder().encode(`{"scopes":["chat"],"padding":"${"x".repeat(17 * 1024)}"}`);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(h.base + tokens(), {
      method: "POST",
      headers: { "X-API-Key": h.apiKeys[0]!, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe("payload_too_large");
    expect(await h.requests()).toEqual([]);
  });

  it.each([
    ["text/plain", "scopes=chat"],
    ["application/x-www-form-urlencoded", "scopes=chat"],
    ["application/xml", "<scopes>chat</scopes>"],
  ])("refuses a %s body with 415 unsupported_media_type", async (type, rawBody) => {
    for (const path of ["/v1/users", tokens(), "/v1/teams/tokens"]) {
      await expectRefused(await h.call("POST", path, { rawBody, headers: { "Content-Type": type } }), 415, "unsupported_media_type");
    }
  });

  it("refuses a body without a Content-Type with 415", async () => {
    await expectRefused(await h.call("POST", "/v1/users", { rawBody: '{"scopes":["chat"]}' }), 415, "unsupported_media_type");
  });

  it("the DELETE actions never read a body, whatever its type or size", async () => {
    const user = (await h.call("POST", "/v1/users")).json.userId;
    const junk = { rawBody: "x".repeat(17 * 1024), headers: { "Content-Type": "text/plain" } };
    expect((await h.call("DELETE", userPath(user, "/tokens"), junk)).status).toBe(204);
    expect((await h.call("DELETE", userPath(user), junk)).status).toBe(204);
  });

  it("accepts application/json with a charset", async () => {
    const res = await h.call("POST", "/v1/users", { rawBody: '{"scopes":["chat"]}', headers: { "Content-Type": "application/json; charset=utf-8" } });
    expect(res.status).toBe(201);
  });
});

describe("the order of checks: 401, then 413, then 415, then 400", () => {
  const big = "x".repeat(17 * 1024);
  it("no key and an oversized, non-JSON, invalid body: 401", async () => {
    await expectRefused(await h.call("POST", tokens(), { key: null, rawBody: big, headers: { "Content-Type": "text/plain" } }), 401, "unauthorized");
  });
  it("oversized and non-JSON: 413", async () => {
    await expectRefused(await h.call("POST", tokens(), { rawBody: big, headers: { "Content-Type": "text/plain" } }), 413, "payload_too_large");
  });
  it("non-JSON and invalid: 415", async () => {
    await expectRefused(
      await h.call("POST", userPath("bad-id", "/tokens"), { rawBody: "scopes", headers: { "Content-Type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
  });
  it("an unknown /v1 route without a key: 401", async () => {
    await expectRefused(await h.call("GET", "/v1/unknown", { key: null }), 401, "unauthorized");
  });
});

describe("hints for the likeliest slips: the message says what to send", () => {
  it.each([
    ["Create a user", () => "/v1/users"],
    ["Issue a user access token", tokens],
  ])("%s: scopes in the wrong case name the lower-case spelling", async (_name, path) => {
    const res = await h.call("POST", path(), { body: { scopes: ["Chat", "VOIP", "Chat.Join"] } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([
      { path: "scopes[0]", message: 'Scopes are lower case: send "chat".' },
      { path: "scopes[1]", message: 'Scopes are lower case: send "voip".' },
      { path: "scopes[2]", message: 'Scopes are lower case: send "chat.join".' },
    ]);
    expect(res.json.detail).toContain('scopes[0]: Scopes are lower case: send "chat".');
  });

  it("a scope that is no scope in any case still lists the scopes", async () => {
    const res = await h.call("POST", tokens(), { body: { scopes: ["Chats"] } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([{ path: "scopes[0]", message: "Must be one of chat, voip, chat.join, chat.join.limited, voip.join." }]);
  });

  it.each([
    ["Create a user", () => "/v1/users"],
    ["Issue a user access token", tokens],
  ])('%s: expiresInMinutes as a string ("120") says to send a number', async (_name, path) => {
    const res = await h.call("POST", path(), { body: { scopes: ["chat"], expiresInMinutes: "120" } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([{ path: "expiresInMinutes", message: 'Must be a JSON number, not a string: send 120, not "120".' }]);
  });

  it("a string that is not a short number is not repeated back", async () => {
    const res = await h.call("POST", tokens(), { body: { scopes: ["chat"], expiresInMinutes: "sixty <b>" } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([{ path: "expiresInMinutes", message: 'Must be a JSON number, not a string: send 60, not "60".' }]);
    expect(res.text).not.toContain("sixty");
  });

  it("expiresInMinutes of another type keeps the plain message", async () => {
    const res = await h.call("POST", tokens(), { body: { scopes: ["chat"], expiresInMinutes: true } });
    await expectRefused(res, 400, "validation_failed");
    expect(res.json.errors).toEqual([{ path: "expiresInMinutes", message: "Must be a whole number of minutes." }]);
  });
});

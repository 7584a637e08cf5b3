// The emulator over raw HTTP: signing rules, refusals, error bodies, routing and /_emulator/verify.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { signedFetch } from "./helpers/emulator-sign.ts";

const V = "api-version=2023-10-01";
let emulator: RunningEmulator;
let clock = Date.now();

async function expectError(response: Response, status: number, code: string): Promise<{ message: string; target?: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  const body = (await response.json()) as { error: { code: string; message: string; target?: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  return body.error;
}

async function createUserRaw(): Promise<string> {
  const response = await signedFetch(emulator, `/identities?${V}`, { body: {} });
  expect(response.status).toBe(201);
  return ((await response.json()) as { identity: { id: string } }).identity.id;
}

beforeAll(async () => {
  // A clock the tests can move, to see tokens expire; the signed dates follow it.
  emulator = await startEmulator({ now: () => clock, maxClockSkewMs: 5 * 60 * 1000 });
});

afterAll(async () => {
  await emulator.close();
});

describe("emulator: HMAC authentication", () => {
  it("accepts a correctly signed request and echoes x-ms-client-request-id with an MS-CV", async () => {
    const response = await signedFetch(emulator, `/identities?${V}`, { headers: { "x-ms-client-request-id": "req-123" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-ms-client-request-id")).toBe("req-123");
    expect(response.headers.get("ms-cv")).toMatch(/\.0$/);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await response.json()) as { identity: { id: string }; accessToken?: unknown };
    expect(body.identity.id).toMatch(/^8:acs:/);
    expect(body.accessToken).toBeUndefined();
  });

  it("refuses a signature made with another key", async () => {
    const response = await signedFetch(emulator, `/identities?${V}`, { key: Buffer.alloc(32, 1).toString("base64") });
    const error = await expectError(response, 401, "Denied");
    expect(error.message).toBe("Denied by the resource provider.");
  });

  it("refuses a body that does not match its content hash", async () => {
    const signedHash = (await import("node:crypto")).createHash("sha256").update("{}").digest("base64");
    const response = await signedFetch(emulator, `/identities?${V}`, { body: { createTokenWithScopes: ["chat"] }, contentHash: signedHash });
    await expectError(response, 401, "Denied");
  });

  it("refuses a date too far from now, in either direction, and a date that is not RFC 1123", async () => {
    for (const date of [new Date(clock - 6 * 60 * 1000).toUTCString(), new Date(clock + 6 * 60 * 1000).toUTCString(), new Date(clock).toISOString()]) {
      await expectError(await signedFetch(emulator, `/identities?${V}`, { date }), 401, "Denied");
    }
    const fresh = new Date(clock - 60 * 1000).toUTCString();
    expect((await signedFetch(emulator, `/identities?${V}`, { date: fresh })).status).toBe(201);
  });

  it("refuses a SignedHeaders list other than x-ms-date;host;x-ms-content-sha256, even when signed as named", async () => {
    const date = new Date(clock).toUTCString();
    for (const signedHeaders of [
      ["host", "x-ms-date", "x-ms-content-sha256"],
      ["date", "host", "x-ms-content-sha256"],
      ["x-ms-date", "host"],
      ["X-MS-DATE", "HOST", "X-MS-CONTENT-SHA256"],
    ]) {
      const response = await signedFetch(emulator, `/identities?${V}`, { date, signedHeaders, headers: { date } });
      await expectError(response, 401, "Denied");
    }
    // The same request with the list the SDK sends is accepted.
    expect((await signedFetch(emulator, `/identities?${V}`, { date, headers: { date } })).status).toBe(201);
  });

  it("signs the path as sent, percent-encoding included, and the query", async () => {
    const id = await createUserRaw();
    const encoded = `/identities/${encodeURIComponent(id)}/:issueAccessToken?${V}`;
    const good = await signedFetch(emulator, encoded, { body: { scopes: ["chat"] } });
    expect(good.status).toBe(200);
    // A signature made for another target (decoded id, other query, other path) is refused.
    for (const signAs of [`/identities/${id}/:issueAccessToken?${V}`, `/identities/${encodeURIComponent(id)}/:issueAccessToken?${V}&x=1`, `/identities?${V}`]) {
      await expectError(await signedFetch(emulator, encoded, { body: { scopes: ["chat"] }, signAs }), 401, "Denied");
    }
  });

  it("refuses requests without or with another kind of Authorization, unknown paths included", async () => {
    await expectError(await fetch(new URL(`/identities?${V}`, emulator.endpoint), { method: "POST" }), 401, "Denied");
    const bearer = await fetch(new URL(`/identities?${V}`, emulator.endpoint), { method: "POST", headers: { authorization: "Bearer abc" } });
    await expectError(bearer, 401, "Denied");
    await expectError(await fetch(new URL(`/nowhere`, emulator.endpoint)), 401, "Denied");
  });
});

describe("emulator: routing, api-version and bodies", () => {
  it("answers unknown paths and methods with 404 and an error body", async () => {
    await expectError(await signedFetch(emulator, `/nowhere?${V}`, { method: "GET" }), 404, "NotFound");
    await expectError(await signedFetch(emulator, `/identities?${V}`, { method: "GET" }), 404, "NotFound");
    await expectError(await signedFetch(emulator, `/identities/x/:unknown?${V}`), 404, "NotFound");
  });

  it("refuses a missing or another api-version", async () => {
    await expectError(await signedFetch(emulator, `/identities`), 400, "ApiVersionUnspecified");
    const error = await expectError(await signedFetch(emulator, `/identities?api-version=2099-01-01`), 400, "UnsupportedApiVersion");
    expect(error.message).toMatch(/'2099-01-01'/);
  });

  it("refuses malformed JSON and a body that is not an object", async () => {
    const error = await expectError(await signedFetch(emulator, `/identities?${V}`, { body: "{not json" }), 400, "ValidationError");
    expect(error.target).toBe("body");
    await expectError(await signedFetch(emulator, `/identities?${V}`, { body: "[1]" }), 400, "ValidationError");
  });

  it("takes an absent, empty or null body on create", async () => {
    for (const body of [undefined, "", "null", "{}"]) {
      expect((await signedFetch(emulator, `/identities?${V}`, { body })).status).toBe(201);
    }
  });

  it("refuses a body larger than 64 KiB with 413", async () => {
    const response = await signedFetch(emulator, `/identities?${V}`, { body: { pad: "x".repeat(70 * 1024) } });
    await expectError(response, 413, "RequestEntityTooLarge");
  });

  it("validates issue bodies with targets", async () => {
    const id = encodeURIComponent(await createUserRaw());
    const issue = (body: unknown) => signedFetch(emulator, `/identities/${id}/:issueAccessToken?${V}`, { body });
    expect((await expectError(await issue(undefined), 400, "ValidationError")).target).toBe("Scopes");
    expect((await expectError(await issue({ scopes: "chat" }), 400, "ValidationError")).target).toBe("scopes");
    expect((await expectError(await issue({ scopes: [1] }), 400, "ValidationError")).target).toBe("scopes");
    expect((await expectError(await issue({ scopes: ["chat"], expiresInMinutes: 90.5 }), 400, "ValidationError")).target).toBe("ExpiresInMinutes");
    expect((await expectError(await issue({ scopes: ["chat"], expiresInMinutes: "90" }), 400, "ValidationError")).target).toBe("ExpiresInMinutes");
    expect((await issue({ scopes: ["chat"], expiresInMinutes: null })).status).toBe(200);
    const create = await signedFetch(emulator, `/identities?${V}`, { body: { createTokenWithScopes: [] } });
    const empty = await expectError(create, 400, "ValidationError");
    expect(empty).toMatchObject({ target: "scopes", message: "Invalid scopes - Scopes field is required." });
    const unknown = await signedFetch(emulator, `/identities?${V}`, { body: { createTokenWithScopes: ["email"] } });
    expect((await expectError(unknown, 400, "ValidationError")).target).toBe("scopes");
  });

  it("refuses a malformed percent-encoded id as not found", async () => {
    await expectError(await signedFetch(emulator, `/identities/%E0%A4%A/:revokeAccessTokens?${V}`), 401, "IdentityNotOwned");
  });

  it("judges the Teams token before the other fields: one that is not a string is 401 InvalidAccessToken", async () => {
    const exchange = (body: unknown) => signedFetch(emulator, `/teamsUser/:exchangeAccessToken?${V}`, { body });
    for (const body of [
      { token: 7, appId: "a", userId: "u" },
      { token: ["x"], appId: "", userId: "" },
    ]) {
      expect((await expectError(await exchange(body), 401, "InvalidAccessToken")).message).toBe("Provided access token is not valid.");
    }
  });
});

describe("emulator: /_emulator/verify", () => {
  const verify = async (token: unknown) => {
    const response = await fetch(new URL("_emulator/verify", emulator.endpoint), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token }),
    });
    return { status: response.status, body: (await response.json()) as { valid: boolean; reason?: string } };
  };

  it("needs no signature and judges malformed and forged tokens", async () => {
    expect((await verify("abc")).body).toEqual({ valid: false, reason: "malformed" });
    const other = await startEmulator({ now: () => clock });
    try {
      const client = new CommunicationIdentityClient(other.connectionString, { allowInsecureConnection: true });
      const { token } = await client.createUserAndToken(["chat"]);
      expect((await verify(token)).body).toEqual({ valid: false, reason: "bad_signature" });
      // Same header, altered payload: the signature no longer matches.
      const [header, , signature] = token.split(".");
      const forged = `${header}.${Buffer.from('{"skypeid":"acs:x","exp":9999999999}').toString("base64url")}.${signature}`;
      expect((await verify(forged)).body.valid).toBe(false);
    } finally {
      await other.close();
    }
    expect((await verify(42)).status).toBe(400);
  });

  it("says expired once the token's exp has passed", async () => {
    const id = encodeURIComponent(await createUserRaw());
    const response = await signedFetch(emulator, `/identities/${id}/:issueAccessToken?${V}`, { body: { scopes: ["voip"], expiresInMinutes: 60 } });
    const { token } = (await response.json()) as { token: string };
    expect((await verify(token)).body.valid).toBe(true);
    clock += 60 * 60 * 1000;
    try {
      expect((await verify(token)).body).toEqual({ valid: false, reason: "expired" });
    } finally {
      clock = Date.now();
    }
  });

  it("publishes its signing key as a JWKS", async () => {
    const response = await fetch(new URL("_emulator/keys", emulator.endpoint));
    const { keys } = (await response.json()) as { keys: { kty: string; alg: string; kid: string }[] };
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
  });

  it("answers unknown /_emulator paths with 404", async () => {
    expect((await fetch(new URL("_emulator/nothing", emulator.endpoint))).status).toBe(404);
  });
});

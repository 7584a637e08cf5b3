import { once } from "node:events";
import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/emulator/index.ts";
import { createEntraVerifier } from "../src/entra.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { teamsToken } from "./helpers/jwt.ts";
import { startNodeService } from "./helpers/node-service.ts";

/**
 * A full session of every action, successes, refusals and ACS faults, with known secrets: no response (body or
 * header) and no log line may carry the access key, the connection string or an API key; an issued ACS token
 * appears only in the body of the call that issued it; caller credentials and the Teams user's token never come back.
 */
const ACCESS_KEY = Buffer.from("known-access-key-of-the-secret-leak-test!").toString("base64");
const API_KEYS = ["leak-test-key-primary-7f3a91", "leak-test-key-secondary-9b2c44"];

interface Seen {
  label: string;
  status: number;
  headers: string;
  body: string;
}

let issuer: EntraIssuer;
let h: Harness;
beforeAll(async () => {
  issuer = await startEntraIssuer();
  h = await startHarness({
    emulatorAccessKey: ACCESS_KEY,
    apiKeys: API_KEYS,
    timeoutMs: 1_500,
    entra: createEntraVerifier({ tenantId: TENANT_ID, audience: AUDIENCE, jwksUrl: issuer.jwksUrl }),
  });
});
afterAll(async () => {
  await h.close();
  await issuer.close();
});

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe("a full session", () => {
  it("leaks no secret and hands each token only to the call that asked for it", async () => {
    const seen: Seen[] = [];
    const issued = new Map<string, string>(); // token -> label of the call that issued it
    async function call(label: string, method: string, path: string, options: Parameters<Harness["call"]>[2] = {}) {
      const res = await h.call(method, path, options);
      seen.push({ label, status: res.status, headers: JSON.stringify([...res.headers]), body: res.text });
      if (typeof res.json?.token === "string") issued.set(res.json.token, label);
      return res;
    }
    const callerToken = await issuer.mint();
    const clientId = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
    const oid = "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f";
    const teamsUserToken = teamsToken({ appid: clientId, oid, tid: TENANT_ID, exp: Math.floor(Date.now() / 1000) + 3600 });

    // Successes, with both keys and a bearer token.
    const bare = await call("create", "POST", "/v1/users");
    const withToken = await call("create+token", "POST", "/v1/users", { key: API_KEYS[1], body: { scopes: ["chat", "voip"], expiresInMinutes: 60 } });
    const user = userPath(withToken.json.userId);
    await call("issue", "POST", `${user}/tokens`, { body: { scopes: ["chat"] } });
    await call("issue by bearer", "POST", `${user}/tokens`, { key: null, headers: { Authorization: `Bearer ${callerToken}` }, body: { scopes: ["voip"] } });
    await call("exchange", "POST", "/v1/teams/tokens", { body: { teamsUserAadToken: teamsUserToken, clientId, userObjectId: oid } });
    await call("revoke", "DELETE", `${user}/tokens`);
    await call("delete", "DELETE", userPath(bare.json.userId));
    // Refusals, some carrying secrets or tokens in the request.
    const someToken = [...issued.keys()][0]!;
    await call("wrong key", "POST", "/v1/users", { key: `${API_KEYS[0]}x` });
    await call("wrong bearer", "POST", "/v1/users", { key: null, headers: { Authorization: `Bearer ${callerToken.slice(0, -4)}AAAA` } });
    await call("token as a scope", "POST", `${user}/tokens`, { body: { scopes: [someToken] } });
    await call("token as a field name", "POST", "/v1/users", { body: { [someToken.slice(0, 40)]: 1 } });
    await call("key in the path", "DELETE", userPath(API_KEYS[0]!));
    await call("token in the path", "DELETE", userPath(someToken));
    await call("deleted user", "POST", `${userPath(bare.json.userId)}/tokens`, { body: { scopes: ["chat"] } });
    await call("teams token refused", "POST", "/v1/teams/tokens", { body: { teamsUserAadToken: teamsUserToken, clientId: oid, userObjectId: clientId } });
    await call("not json", "POST", `${user}/tokens`, { rawBody: `scopes=${someToken}`, headers: { "Content-Type": "text/plain" } });
    // ACS faults.
    for (const [label, fault] of [
      ["throttled", { status: 429, times: 5, retryAfterSeconds: 30 }],
      ["failing", { status: 500, times: 10 }],
      ["dropping", { drop: true, times: 10 }],
      ["silent", { delayMs: 5_000, times: 1 }],
    ] as const) {
      await h.fault(fault);
      await call(label, "POST", `${user}/tokens`, { body: { scopes: ["chat"] } });
      await h.clearFaults();
    }

    expect(seen.map((s) => s.status)).toEqual([201, 201, 200, 200, 200, 204, 204, 401, 401, 400, 400, 400, 400, 404, 400, 415, 429, 502, 502, 504]);
    expect(issued.size).toBe(4);

    const logs = h.logs.map((line) => JSON.stringify(line)).join("\n");
    const secrets = {
      "access key": ACCESS_KEY,
      "connection string": h.emulator.connectionString,
      ...Object.fromEntries(API_KEYS.map((key, i) => [`API key ${i}`, key])),
    };
    for (const [name, secret] of Object.entries(secrets)) {
      for (const response of seen) expect(response.headers + response.body, `${name} in the answer to ${response.label}`).not.toContain(secret);
      expect(logs, `${name} in the logs`).not.toContain(secret);
    }
    for (const [token, label] of issued) {
      for (const response of seen) {
        expect(response.headers, `a token in the headers of ${response.label}`).not.toContain(token);
        expect(occurrences(response.body, token), `the token of ${label} in the answer to ${response.label}`).toBe(response.label === label ? 1 : 0);
      }
      expect(logs).not.toContain(token);
    }
    for (const credential of [callerToken, teamsUserToken]) {
      for (const response of seen) expect(response.headers + response.body).not.toContain(credential);
      expect(logs).not.toContain(credential);
    }
  });
});

describe("npm start's own output", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  it("carries no secret and no token on stdout or stderr", async () => {
    const emulator = await startEmulator({ accessKey: ACCESS_KEY });
    try {
      const run = startNodeService({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: API_KEYS.join(",") });
      children.push(run.child);
      const base = await run.listening;
      const post = (path: string, key: string, body?: unknown) =>
        fetch(base + path, {
          method: "POST",
          headers: { "X-API-Key": key, "Content-Type": "application/json" },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      const created = await (await post("/v1/users", API_KEYS[0]!, { scopes: ["chat"] })).json();
      const issued = await (await post(`${userPath(created.userId)}/tokens`, API_KEYS[1]!, { scopes: ["voip"] })).json();
      expect((await post("/v1/users", "wrong")).status).toBe(401);
      expect((await post(`${userPath(created.userId)}/tokens`, API_KEYS[0]!, { scopes: [issued.token] })).status).toBe(400);
      await fetch(new URL("/_emulator/faults", emulator.endpoint), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ status: 500, times: 10 }),
      });
      expect((await post("/v1/users", API_KEYS[0]!)).status).toBe(502);

      // Stopped first: log lines are written in batches, and the process flushes them as it exits.
      run.child.kill("SIGTERM");
      await once(run.child, "exit");
      const { stdout, stderr } = run.output();
      expect(stdout.trim().split("\n")).toHaveLength(5);
      for (const secret of [ACCESS_KEY, emulator.connectionString, ...API_KEYS, created.token, issued.token]) {
        expect(stdout + stderr).not.toContain(secret);
      }
    } finally {
      await emulator.close();
    }
  });
});

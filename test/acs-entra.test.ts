import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { decodeJwt, teamsToken } from "./helpers/jwt.ts";
import { startNodeService } from "./helpers/node-service.ts";
import { tlsRequest } from "./helpers/tls-request.ts";

/**
 * Entra ID from the service to ACS: the emulator over HTTPS accepts bearer tokens of its own managed-identity
 * endpoint, which @azure/identity reaches through IDENTITY_ENDPOINT / IDENTITY_HEADER as on Azure App Service.
 */
let emulator: RunningEmulator;
let dir: string;
let caFile: string;
beforeAll(async () => {
  emulator = await startEmulator({ tls: true });
  dir = mkdtempSync(join(tmpdir(), "acs-emulator-ca-"));
  caFile = join(dir, "emulator.pem");
  writeFileSync(caFile, emulator.certificate!);
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const ca = () => emulator.certificate!;
const control = async (path: string, method = "GET", body?: unknown) =>
  (
    await tlsRequest(new URL(`/_emulator/${path}`, emulator.endpoint), {
      ca: ca(),
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    })
  ).json;
const identityToken = (resource: string, header = emulator.identityHeader) =>
  tlsRequest(`${emulator.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, {
    ca: ca(),
    headers: { "X-IDENTITY-HEADER": header },
  });
const createWithBearer = (token: string) =>
  tlsRequest(new URL("/identities?api-version=2023-10-01", emulator.endpoint), {
    ca: ca(),
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: "{}",
  });

describe("emulator over HTTPS", () => {
  it("serves a self-signed certificate for 127.0.0.1 that a client must be told to trust", async () => {
    expect(emulator.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(tlsRequest(new URL("/_emulator/requests", emulator.endpoint))).rejects.toThrow(/self-signed|self signed/);
    expect((await tlsRequest(new URL("/_emulator/requests", emulator.endpoint), { ca: ca() })).status).toBe(200);
  });

  it("has a managed-identity endpoint answering as App Service's does (api-version 2019-08-01, X-IDENTITY-HEADER)", async () => {
    const res = await identityToken("https://communication.azure.com/");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ resource: "https://communication.azure.com/", token_type: "Bearer" });
    expect(Number(res.json.expires_on)).toBeGreaterThan(Date.now() / 1000 + 3600);
    expect(decodeJwt(res.json.access_token).payload.aud).toBe("https://communication.azure.com/");
    expect((await identityToken("https://communication.azure.com/", "wrong")).status).toBe(401);
    const noVersion = await tlsRequest(`${emulator.identityEndpoint}?resource=x`, { ca: ca(), headers: { "X-IDENTITY-HEADER": emulator.identityHeader } });
    expect(noVersion.status).toBe(400);
  });

  it("accepts the endpoint's ACS token as a bearer and logs the request as bearer-authenticated", async () => {
    await control("requests", "DELETE");
    const token = (await identityToken("https://communication.azure.com/")).json.access_token;
    const res = await createWithBearer(token);
    expect(res.status).toBe(201);
    expect(res.json.identity.id).toMatch(/^8:acs:/);
    expect((await control("requests")).requests).toEqual([expect.objectContaining({ method: "POST", path: "/identities", status: 201, auth: "bearer" })]);
  });

  it("refuses, as ACS would (401 Denied), a bearer for another resource, a forged one and an ACS user token", async () => {
    const vault = (await identityToken("https://vault.azure.net")).json.access_token;
    const good = (await identityToken("https://communication.azure.com/")).json.access_token as string;
    const [header, payload] = good.split(".");
    const forged = `${header}.${payload}.${Buffer.alloc(256, 1).toString("base64url")}`;
    const userToken = teamsToken({ aud: "https://communication.azure.com/", exp: Math.floor(Date.now() / 1000) + 3600 });
    for (const token of [vault, forged, userToken]) {
      const res = await createWithBearer(token);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("Denied");
    }
  });
});

describe("npm start with COMMUNICATION_SERVICES_ENDPOINT and no access key (DefaultAzureCredential)", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  function startService(identityHeader: string, env: Record<string, string> = {}) {
    const run = startNodeService({
      COMMUNICATION_SERVICES_ENDPOINT: emulator.endpoint,
      IDENTITY_ENDPOINT: emulator.identityEndpoint,
      IDENTITY_HEADER: identityHeader,
      NODE_EXTRA_CA_CERTS: caFile,
      API_KEYS: "mi-key",
      ...env,
    });
    children.push(run.child);
    return run;
  }

  async function call(base: string, method: string, path: string, body?: unknown) {
    const res = await fetch(base + path, {
      method,
      headers: { "X-API-Key": "mi-key", ...(body !== undefined && { "Content-Type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  it("runs every action on a managed-identity token: ACS sees only bearer-authenticated requests", async () => {
    const run = startService(emulator.identityHeader);
    const base = await run.listening;
    await control("requests", "DELETE");

    const created = await call(base, "POST", "/v1/users", { scopes: ["chat"] });
    expect(created.status).toBe(201);
    const user = `/v1/users/${encodeURIComponent(created.json.userId)}`;
    const issued = await call(base, "POST", `${user}/tokens`, { scopes: ["voip"], expiresInMinutes: 60 });
    expect(issued.status).toBe(200);
    expect((await control("verify", "POST", { token: issued.json.token })).valid).toBe(true);
    expect((await call(base, "DELETE", `${user}/tokens`)).status).toBe(204);
    expect((await control("verify", "POST", { token: issued.json.token })).reason).toBe("revoked");
    expect((await call(base, "DELETE", user)).status).toBe(204);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const clientId = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
    const oid = "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f";
    const exchanged = await call(base, "POST", "/v1/teams/tokens", {
      teamsUserAadToken: teamsToken({ appid: clientId, oid, tid: "72f988bf-86f1-41af-91ab-2d7cd011db47", exp }),
      clientId,
      userObjectId: oid,
    });
    expect(exchanged.status).toBe(200);

    const seen = (await control("requests")).requests as { path: string; status: number; auth: string | null }[];
    expect(seen.map((r) => r.status)).toEqual([201, 200, 204, 204, 200]);
    expect(seen.every((r) => r.auth === "bearer")).toBe(true);
    // Stopped first, so every batched log line has been written.
    run.child.kill("SIGTERM");
    await once(run.child, "exit");
    const { stdout, stderr } = run.output();
    expect(stdout.trim().split("\n")).toHaveLength(5);
    expect(stdout + stderr).not.toContain(emulator.identityHeader);
    expect(stdout + stderr).not.toContain(issued.json.token);
  });

  it("answers 502 upstream_auth_failed, not 401 or 500, when the managed identity gets no token", async () => {
    const run = startService("not-the-identity-header");
    const base = await run.listening;
    await control("requests", "DELETE");
    const res = await call(base, "POST", "/v1/users");
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ code: "upstream_auth_failed" });
    expect(res.json.detail).toMatch(/managed identity/);
    expect((await control("requests")).requests).toEqual([]);
  });

  it("answers 504 upstream_timeout at ACS_TIMEOUT_MS when the managed identity never answers: the deadline covers getting the token", async () => {
    // Takes connections and never answers them.
    const silent = createServer(() => {});
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const sockets = new Set<Socket>();
    silent.on("connection", (socket) => sockets.add(socket));
    try {
      const { port } = silent.address() as AddressInfo;
      const run = startService(emulator.identityHeader, { IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`, ACS_TIMEOUT_MS: "1500" });
      const base = await run.listening;
      await control("requests", "DELETE");
      const started = Date.now();
      const res = await call(base, "POST", "/v1/users");
      const took = Date.now() - started;
      expect(res.status).toBe(504);
      expect(res.json).toMatchObject({ code: "upstream_timeout" });
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(sockets.size).toBeGreaterThan(0);
      expect((await control("requests")).requests).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

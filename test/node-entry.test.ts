import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { docsAssetUrl } from "../src/docs-assets.ts";
import { startEmulator } from "../src/emulator/index.ts";
import { startNodeService } from "./helpers/node-service.ts";

/** `npm start` as a user runs it: the real entry in its own process, on an ephemeral port. */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

const start = (env: Record<string, string>) => {
  const run = startNodeService(env);
  children.push(run.child);
  return run;
};

async function exitOf(child: ChildProcess) {
  const [code] = await once(child, "exit");
  return code as number;
}

describe("npm start", () => {
  it("with no ACS configuration runs on the embedded emulator, says so, and prints a generated key once", async () => {
    const run = start({});
    const base = await run.listening;
    const { stderr } = run.output();
    expect(stderr).toContain("embedded ACS emulator");
    expect(stderr).toContain("NOT valid for Azure");
    const key = /Send it as X-API-Key:\s+(\S+)/.exec(stderr)?.[1];
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const created = await fetch(`${base}/v1/users`, {
      method: "POST",
      headers: { "X-API-Key": key!, "Content-Type": "application/json" },
      body: '{"scopes":["chat"]}',
    });
    expect(created.status).toBe(201);
    const { token } = await created.json();
    expect((await fetch(`${base}/v1/users`, { method: "POST" })).status).toBe(401);
    run.child.kill("SIGTERM");
    expect(await exitOf(run.child)).toBe(0);
    const { stdout } = run.output();
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.status)).toEqual([201, 401]);
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(key);
    expect(stderr.split(key!).length - 1).toBe(1);
  });

  it("with a connection string and API_KEYS uses them, with no banner and no generated key", async () => {
    const emulator = await startEmulator();
    try {
      const run = start({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "one, two" });
      const base = await run.listening;
      expect(run.output().stderr).not.toContain("emulator");
      expect(run.output().stderr).not.toContain("generated");
      const res = await fetch(`${base}/v1/users`, { method: "POST", headers: { "X-API-Key": "two" } });
      expect(res.status).toBe(201);
      expect((await res.json()).userId).toMatch(/^8:acs:/);
      const seen = await (await fetch(new URL("/_emulator/requests", emulator.endpoint))).json();
      expect(seen.requests.map((r: { path: string }) => r.path)).toEqual(["/identities"]);
      expect(run.output().stderr + run.output().stdout).not.toContain(emulator.accessKey);
      // The API reference page's files, served from node_modules by the Node entry.
      expect((await fetch(base + docsAssetUrl("swagger-ui-bundle.js"))).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("listens on HOST when it is set, with a configured resource too: 127.0.0.1 binds loopback alone", async () => {
    const emulator = await startEmulator();
    try {
      const run = start({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "host-key", HOST: "127.0.0.1" });
      const base = await run.listening;
      expect(run.output().stderr).toContain("(loopback only;");
      const port = Number(new URL(base).port);
      // /proc/net/tcp lists listening sockets (state 0A) by local address in hex: 0100007F is 127.0.0.1.
      const listening = readFileSync("/proc/net/tcp", "utf8")
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((fields) => fields[3] === "0A" && Number.parseInt(fields[1]!.split(":")[1]!, 16) === port)
        .map((fields) => fields[1]!.split(":")[0]);
      expect(listening).toEqual(["0100007F"]);
    } finally {
      await emulator.close();
    }
  });

  it("says loopback only for HOST=::1, and answers there", async () => {
    const emulator = await startEmulator();
    try {
      const run = start({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "host-key", HOST: "::1" });
      const port = new URL(await run.listening).port;
      expect(run.output().stderr).toContain("(loopback only;");
      expect((await fetch(`http://[::1]:${port}/health`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ["no ACS configuration", { NODE_ENV: "production", API_KEYS: "k" }, /no ACS configuration/],
    [
      "a short API key in production",
      {
        NODE_ENV: "production",
        API_KEYS: "short-key",
        COMMUNICATION_SERVICES_CONNECTION_STRING: "endpoint=https://x.communication.azure.com/;accesskey=c2VjcmV0c2VjcmV0",
      },
      /shorter than 16 characters/,
    ],
    ["a CORS origin with a trailing slash", { CORS_ORIGINS: "https://app.contoso.com/" }, /CORS_ORIGINS entries must be origins/],
    ["a wildcard CORS origin", { CORS_ORIGINS: "*" }, /CORS_ORIGINS entries must be origins/],
    [
      "no caller authentication",
      { NODE_ENV: "production", COMMUNICATION_SERVICES_CONNECTION_STRING: "endpoint=https://x.communication.azure.com/;accesskey=c2VjcmV0c2VjcmV0" },
      /no caller authentication/,
    ],
    ["a malformed connection string", { COMMUNICATION_SERVICES_CONNECTION_STRING: "nonsense" }, /must look like endpoint=/],
    [
      "a non-loopback http endpoint",
      { COMMUNICATION_SERVICES_CONNECTION_STRING: "endpoint=http://example.com/;accesskey=c2VjcmV0c2VjcmV0", API_KEYS: "k" },
      /only on loopback/,
    ],
    ["NODE_ENV=Production and no ACS configuration", { NODE_ENV: "Production", API_KEYS: "k" }, /NODE_ENV=production: no ACS configuration/],
    ["NODE_ENV=' PRODUCTION ' and no ACS configuration", { NODE_ENV: " PRODUCTION ", API_KEYS: "k" }, /NODE_ENV=production: no ACS configuration/],
    [
      "Entra ID callers in production without ENTRA_REQUIRED_ROLE",
      {
        NODE_ENV: "production",
        COMMUNICATION_SERVICES_CONNECTION_STRING: "endpoint=https://x.communication.azure.com/;accesskey=c2VjcmV0c2VjcmV0",
        ENTRA_TENANT_ID: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        ENTRA_AUDIENCE: "api://acs-identity-connector",
      },
      /without ENTRA_REQUIRED_ROLE/,
    ],
    ["a header deadline past the request's", { HEADERS_TIMEOUT_MS: "40000" }, /HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS/],
    ["MAX_CONNECTIONS=0", { MAX_CONNECTIONS: "0" }, /MAX_CONNECTIONS must be an integer from 1/],
  ])("refuses to start with %s: exit 1 and a one-line reason", async (_name, env, reason) => {
    const run = start(env);
    run.listening.catch(() => {});
    expect(await exitOf(run.child)).toBe(1);
    const { stderr } = run.output();
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(reason);
    expect(stderr).not.toContain("c2VjcmV0c2VjcmV0");
  });

  it("warns at start about a NODE_ENV it does not know, and runs as not production", async () => {
    const run = start({ NODE_ENV: "prod", API_KEYS: "k" });
    const base = await run.listening;
    expect(run.output().stderr).toMatch(/warning: NODE_ENV="prod" is not one of production, development, test: running as not production/);
    expect(run.output().stderr).toContain("embedded ACS emulator");
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

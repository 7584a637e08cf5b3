import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeService } from "./helpers/node-service.ts";

/** `npm start`'s messages about its own configuration: a busy port and API keys production would refuse. */

const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const start = (env: Record<string, string>) => {
  const run = startNodeService(env);
  children.push(run.child);
  return run;
};

/** A loopback port some other program holds. */
async function busyPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
}

const warnings = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith("acs-identity-connector: warning: "));

describe("npm start", () => {
  it("on a busy port exits 1 with one line suggesting PORT: no generated key, no warning", async () => {
    const port = await busyPort();
    const run = start({ PORT: String(port), API_KEYS: " , " });
    run.listening.catch(() => {});
    const [code] = await once(run.child, "exit");
    expect(code).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toBe(
      `acs-identity-connector: port ${port} is already in use (another npm start?): stop what holds it, or pick another port, e.g. PORT=${port + 1} npm start.\n`,
    );
  });

  it("warns when API_KEYS holds only commas and spaces, and runs on a generated key as if it were unset", async () => {
    const run = start({ API_KEYS: " , " });
    await run.listening;
    const { stderr } = run.output();
    expect(warnings(stderr)).toEqual([
      "acs-identity-connector: warning: API_KEYS holds no key (only commas and spaces), so this run does as if it were unset; give it one or more keys, comma-separated.",
    ]);
    expect(stderr).toContain("No API_KEYS set: generated this API key");
  });

  it("warns about keys shorter than production accepts, counting them, never showing them", async () => {
    // A named entry is measured by its key, as production measures it: "flows-production:abc" is short.
    const run = start({ API_KEYS: "a,flows-production:abc,a-key-long-enough-for-production" });
    const base = await run.listening;
    const { stderr } = run.output();
    expect(warnings(stderr)).toEqual([
      "acs-identity-connector: warning: 2 API keys in API_KEYS are shorter than 16 characters, which NODE_ENV=production refuses; make keys with e.g. openssl rand -base64 32.",
    ]);
    expect(stderr).not.toMatch(/\babc\b/);
    // A warning, not a refusal: the short key works.
    expect((await fetch(`${base}/v1/users`, { method: "POST", headers: { "X-API-Key": "a" } })).status).toBe(201);
  });

  it("says nothing of keys that are long enough", async () => {
    const run = start({ API_KEYS: "0123456789abcdef" });
    await run.listening;
    expect(warnings(run.output().stderr)).toEqual([]);
  });
});

// `npm run emulator`: one stdout line with the connection string, usable by the SDK; clean stop on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterEach, describe, expect, it } from "vitest";

const children: ChildProcess[] = [];

afterEach(() => {
  // Children run in their own process group: kill the group, so that nothing npm started outlives a test.
  for (const child of children.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; stdout: string[]; stderr: () => string } {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  const stdout: string[] = [];
  let stderr = "";
  createInterface({ input: child.stdout! }).on("line", (line) => stdout.push(line));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout, stderr: () => stderr };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// The npm script's own command line, so the direct runs test exactly what `npm run emulator` runs.
const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.emulator ?? "";
const NODE_ARGS = script.split(/\s+/).slice(1);

describe("emulator: npm run emulator", () => {
  it("prints one connection string line, serves the SDK, and stops on SIGTERM", async () => {
    const port = await freePort();
    const accessKey = Buffer.alloc(32, 3).toString("base64");
    const { child, stdout, stderr } = run("npm", ["run", "--silent", "emulator"], { EMULATOR_PORT: String(port), EMULATOR_ACCESS_KEY: accessKey });
    await until(() => stdout.length > 0);
    const connectionString = `endpoint=http://127.0.0.1:${port}/;accesskey=${accessKey}`;
    expect(stdout).toEqual([`COMMUNICATION_SERVICES_CONNECTION_STRING=${connectionString}`]);

    const client = new CommunicationIdentityClient(connectionString, { allowInsecureConnection: true });
    const { user, token } = await client.createUserAndToken(["chat"]);
    expect(user.communicationUserId).toMatch(/^8:acs:/);
    expect(token.split(".")).toHaveLength(3);

    // As a terminal or a container runtime does, signal the whole process group: npm itself does not
    // pass SIGTERM on to the script. (npm then ends by the signal; the emulator's own exit code is
    // checked below, without npm in between.) "close" waits until the emulator has released the pipes.
    process.kill(-child.pid!, "SIGTERM");
    await once(child, "close");
    expect(stdout).toHaveLength(1);
    expect(stderr()).toMatch(/listening/);
    expect(stderr()).toMatch(/SIGTERM, stopping/);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("exits 0 on %s, and picks a free port when EMULATOR_PORT is unset", async (signal) => {
    const { child, stdout } = run(process.execPath, NODE_ARGS, { EMULATOR_PORT: "", EMULATOR_ACCESS_KEY: "" });
    await until(() => stdout.length > 0);
    expect(stdout[0]).toMatch(/^COMMUNICATION_SERVICES_CONNECTION_STRING=endpoint=http:\/\/127\.0\.0\.1:\d+\/;accesskey=[A-Za-z0-9+/]{43}=$/);
    const endpoint = /endpoint=([^;]+);/.exec(stdout[0] ?? "")?.[1] ?? "";
    expect((await fetch(new URL("_emulator/requests", endpoint))).status).toBe(200);
    child.kill(signal);
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("serves https with EMULATOR_TLS=1 and writes the certificate to trust to EMULATOR_CERT_FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-cli-"));
    const certFile = join(dir, "emulator.pem");
    const { child, stdout, stderr } = run(process.execPath, NODE_ARGS, { EMULATOR_PORT: "0", EMULATOR_TLS: "1", EMULATOR_CERT_FILE: certFile });
    await until(() => stdout.length > 0, 30_000);
    expect(stdout[0]).toMatch(/^COMMUNICATION_SERVICES_CONNECTION_STRING=endpoint=https:\/\/127\.0\.0\.1:\d+\/;accesskey=/);
    expect(stderr()).toContain(`Certificate to trust (PEM): ${certFile}`);
    const endpoint = new URL(/endpoint=([^;]+);/.exec(stdout[0] ?? "")?.[1] ?? "");
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpsRequest({ host: endpoint.hostname, port: endpoint.port, path: "/_emulator/requests", ca: readFileSync(certFile, "utf8") }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
    child.kill("SIGTERM");
    await once(child, "exit");
    rmSync(dir, { recursive: true });
  });

  it.each([
    [{ EMULATOR_ACCESS_KEY: "not base64!" }, /EMULATOR_ACCESS_KEY must be valid base64/],
    [{ EMULATOR_PORT: "http" }, /EMULATOR_PORT must be a port number/],
    [{ EMULATOR_PORT: "70000" }, /EMULATOR_PORT must be a port number/],
    [{ EMULATOR_TLS: "yes please" }, /EMULATOR_TLS must be 1 or 0/],
  ])("refuses %j with a one-line error and exit code 1", async (env, message) => {
    const { child, stdout, stderr } = run(process.execPath, NODE_ARGS, { EMULATOR_PORT: "0", ...env });
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr()).toMatch(message);
    expect(stderr().trim().split("\n")).toHaveLength(1);
  });
});

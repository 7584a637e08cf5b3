import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";

/** `npm run dev:worker`: the secrets reach wrangler in a private `.dev.vars`, never on a command line, and go at exit. */
const DEV_VARS = new URL("../.dev.vars", import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function devWorker(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/dev-worker.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Every command line on this machine (Linux /proc), to look for a secret in any of them. */
function commandLines(): string[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ")];
      } catch {
        return [];
      }
    });
}

describe("npm run dev:worker", () => {
  it.skipIf(existsSync(DEV_VARS))(
    "hands the secrets over in a mode-600 .dev.vars, never in argv, and removes it on SIGTERM",
    async () => {
      const key = `dev-worker-test-${randomBytes(12).toString("hex")}`;
      const port = await freePort();
      const run = devWorker(["--port", String(port), "--ip", "127.0.0.1"], { API_KEYS: key });
      for (let i = 0; i < 1_200 && !/Ready on/.test(run.output()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(run.output()).toMatch(/Ready on/);

      expect(statSync(DEV_VARS).mode & 0o777).toBe(0o600);
      const vars = readFileSync(DEV_VARS, "utf8");
      expect(vars).toContain(`API_KEYS='${key}'`);
      const accessKey = /accesskey=([^';\n]+)/.exec(vars)![1]!;
      for (const line of commandLines()) {
        expect(line).not.toContain(key);
        expect(line).not.toContain(accessKey);
      }

      // The Worker got them: it takes the key and reaches the emulator with the connection string.
      const created = await fetch(`http://127.0.0.1:${port}/v1/users`, { method: "POST", headers: { "X-API-Key": key } });
      expect(created.status).toBe(201);

      run.child.kill("SIGTERM");
      await once(run.child, "exit");
      expect(existsSync(DEV_VARS)).toBe(false);
      expect(run.output()).not.toContain(accessKey);
    },
    90_000,
  );

  it("refuses to start over an existing .dev.vars, and leaves it as it was", async () => {
    const mine = !existsSync(DEV_VARS);
    if (mine) writeFileSync(DEV_VARS, "API_KEYS='someone-elses'\n", { mode: 0o600 });
    const before = readFileSync(DEV_VARS, "utf8");
    try {
      const run = devWorker([], {});
      const [code] = await once(run.child, "exit");
      expect(code).toBe(1);
      expect(run.output()).toMatch(/\.dev\.vars already exists; move it away first/);
      expect(readFileSync(DEV_VARS, "utf8")).toBe(before);
    } finally {
      if (mine) rmSync(DEV_VARS);
    }
  });
});

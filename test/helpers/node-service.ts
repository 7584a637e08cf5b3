import { type ChildProcess, spawn } from "node:child_process";

/** `npm start` as a user runs it: the real entry in its own process, on an ephemeral port, with only `env`. */
export function startNodeService(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/start.js"], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never left running: a caller that only awaits `listening` would not stop it.
      child.kill("SIGKILL");
      reject(new Error(`no listening line; stderr: ${stderr}`));
    }, 20_000);
    child.stderr!.on("data", () => {
      const port = /listening on http:\/\/localhost:(\d+)/.exec(stderr)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`exited early; stderr: ${stderr}`));
    });
  });
  return { child, listening, output: () => ({ stderr, stdout }) };
}

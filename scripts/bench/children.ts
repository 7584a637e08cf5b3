import { type ChildProcess, spawn } from "node:child_process";

/** The bench's child processes (emulator, floor, service): started with a line to wait for, all stopped at the end. */
const started = new Set<ChildProcess>();

export const NODE_TS = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"];

/** Spawns `node ...args` and resolves with the first match of `pattern` in its output (stdout or stderr). */
export function startChild(args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.add(child);
  child.once("exit", () => started.delete(child));
  return new Promise((resolve, reject) => {
    let seen = "";
    const look = (chunk: Buffer) => {
      seen += chunk;
      const match = pattern.exec(seen);
      if (!match) return;
      child.stdout!.off("data", look);
      child.stderr!.off("data", look);
      // Keep draining its output, or a chatty child would block on a full pipe.
      child.stdout!.resume();
      child.stderr!.resume();
      child.off("exit", early);
      resolve({ child, match });
    };
    const early = (code: number | null) => reject(new Error(`node ${args.join(" ")} exited (${code}) before it was ready:\n${seen}`));
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.once("exit", early);
  });
}

/** Stops a child with SIGTERM and waits for it to go. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await gone;
}

export const stopAll = () => Promise.all([...started].map(stopChild));

// A bench stopped from outside (Ctrl-C, a test's timeout) takes its servers with it.
process.once("exit", () => {
  for (const child of started) child.kill("SIGTERM");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

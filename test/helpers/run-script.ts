import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Runs `node <flags> <script> ...args` from the project's root, as its npm script does; rejects on a non-zero exit. */
export function runScript(script: string, args: readonly string[], options: { nodeFlags?: readonly string[]; timeout?: number } = {}) {
  const flags = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", ...(options.nodeFlags ?? [])];
  return promisify(execFile)(process.execPath, [...flags, script, ...args], { cwd: ROOT, ...(options.timeout && { timeout: options.timeout }) });
}

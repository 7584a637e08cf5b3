// Where `npm start`'s bundle lives and whether it is current: read by scripts/start.js at every start, so plain
// JavaScript (nothing to strip) and only node:fs.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");

/** The bundle's entry, made by scripts/build-node.ts; inputs.json beside it lists the files it was built from. */
export const bundleEntry = (root = ROOT) => join(root, "dist", "node", "node.js");

/** True when root's bundle is missing, or a file it was built from is gone or changed after it was built. */
export function bundleIsStale(root = ROOT) {
  try {
    const built = statSync(bundleEntry(root)).mtimeMs;
    /** @type {{ watched: string[] }} */
    const { watched } = JSON.parse(readFileSync(join(root, "dist", "node", "inputs.json"), "utf8"));
    return watched.some((file) => (statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built);
  } catch {
    return true;
  }
}

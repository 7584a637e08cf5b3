// `npm start`: the bundled Node entry (dist/node, made by scripts/build-node.ts), rebuilt first whenever it is
// missing or older than one of its sources, then loaded in this process with Node's compile cache on. Plain
// JavaScript so that nothing is type-stripped at start; `npm start` runs it with type stripping allowed, which
// costs nothing until a .ts file loads: the build script and, where no bundle can be made (esbuild not installed,
// a read-only folder), src/node.ts itself. README: Performance.
import { readFileSync, statSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dirname, "..");

/** True when root's dist/node is missing, or a file it was built from is gone or changed after it was built. */
export function bundleIsStale(root = ROOT) {
  try {
    const built = statSync(join(root, "dist", "node", "node.js")).mtimeMs;
    /** @type {{ watched: string[] }} */
    const { watched } = JSON.parse(readFileSync(join(root, "dist", "node", "inputs.json"), "utf8"));
    return watched.some((file) => (statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built);
  } catch {
    return true;
  }
}

/** Builds when needed; answers whether the bundle can be used. */
async function ensureBundle() {
  if (!bundleIsStale()) return true;
  try {
    const { buildNode } = await import("./build-node.ts");
    await buildNode();
    return true;
  } catch (error) {
    process.stderr.write(`acs-identity-connector: running from source, the bundle could not be built (${error instanceof Error ? error.message.split("\n")[0] : error}).\n`);
    return false;
  }
}

if (process.argv[1] === import.meta.filename) {
  module.enableCompileCache?.();
  await import((await ensureBundle()) ? pathToFileURL(join(ROOT, "dist", "node", "node.js")).href : "../src/node.ts");
}

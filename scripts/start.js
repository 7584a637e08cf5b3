// `npm start`: the bundled Node entry (dist/node, made by scripts/build-node.ts), rebuilt first whenever it is
// missing or older than one of its sources, then loaded in this process with Node's compile cache on. Plain
// JavaScript so that nothing is type-stripped at start; `npm start` runs it with type stripping allowed, which
// costs nothing until a .ts file loads: the build script and, where no bundle can be made (esbuild not installed,
// a read-only folder), src/node.ts itself. README: Performance, start-up.
import module from "node:module";
import { pathToFileURL } from "node:url";
import { bundleEntry, bundleIsStale } from "./node-bundle.js";

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

module.enableCompileCache?.();
await import((await ensureBundle()) ? pathToFileURL(bundleEntry()).href : "../src/node.ts");

/**
 * `npm run build`: the Node entry bundled into dist/node/ with esbuild, so that `npm start` loads a few files instead
 * of several hundred ES modules one by one and strips no TypeScript at start (README: Performance, start-up).
 * `npm start` (scripts/start.js) runs this itself whenever the bundle is missing or older than its sources, so no
 * one has to remember it. What the first request does not need stays in chunks loaded on demand: the embedded
 * emulator (only without ACS configuration) and @azure/identity (only for Entra ID to ACS, left in node_modules).
 */
import { chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, stop } from "esbuild";
import { parseCli } from "./cli.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const NODE_BUNDLE_DIR = join(ROOT, "dist", "node");
/** Besides the bundle's own sources: a change to these rebuilds it (scripts/node-bundle.js reads the list). */
const ALSO_WATCHED = ["package-lock.json", "node_modules/.package-lock.json", "scripts/build-node.ts"];

export async function buildNode(outdir = NODE_BUNDLE_DIR): Promise<{ files: string[] }> {
  // Built beside the target and renamed into place, so a concurrent start never sees half a bundle.
  const startedAt = Date.now();
  await mkdir(dirname(outdir), { recursive: true });
  const scratch = await mkdtemp(`${outdir}.build-`);
  // mkdtemp's folder is the builder's alone; the bundle is for whichever account runs the service.
  await chmod(scratch, 0o755);
  try {
    const result = await build({
      entryPoints: { node: join(ROOT, "src", "node.ts") },
      outdir: scratch,
      absWorkingDir: ROOT,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      external: ["@azure/identity"],
      // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
      banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
      sourcemap: "linked",
      metafile: true,
      logLevel: "warning",
    });
    const sources = Object.keys(result.metafile.inputs).filter((file) => !file.includes("node_modules/"));
    await writeFile(join(scratch, "inputs.json"), `${JSON.stringify({ watched: [...sources, ...ALSO_WATCHED] }, null, 1)}\n`);
    try {
      await rename(scratch, outdir);
    } catch {
      // A bundle is there: an old one is replaced; one that a concurrent start built meanwhile is kept as it is.
      const existing = await stat(join(outdir, "node.js")).catch(() => undefined);
      if (!existing || existing.mtimeMs < startedAt) {
        await rm(outdir, { recursive: true, force: true });
        await rename(scratch, outdir);
      }
    }
    return { files: Object.keys(result.metafile.outputs).map((file) => relative(scratch, resolve(ROOT, file))) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    // esbuild keeps its service process until told otherwise: npm start builds in the process that then serves, and
    // would carry an idle esbuild (about 140 MiB resident) for its whole life.
    await stop();
  }
}

// Not import.meta.main: Node 22, which the project supports, does not have it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  parseCli({
    script: "build",
    summary: "Bundles the Node entry into dist/node/ with esbuild, as npm start does by itself when the bundle is missing\nor older than its sources.",
    options: {},
    example: "",
  });
  const { files } = await buildNode();
  process.stdout.write(`built ${relative(process.cwd(), NODE_BUNDLE_DIR)}: ${files.filter((file) => file.endsWith(".js")).join(", ")}\n`);
}

// `npm run size:worker`: bundles the Worker exactly as `wrangler deploy` would, without uploading it, and prints
// the bundle's raw and gzip size. test/worker-bundle.test.ts uses bundleWorker() to check what went into it.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { parseCli } from "./cli.ts";
import { WRANGLER_CLI, wranglerEnv } from "./wrangler.ts";

export interface WorkerBundle {
  /** Bytes of the JavaScript modules that would be uploaded (source maps excluded). */
  raw: number;
  gzip: number;
  /** Every source file of which something is in the bundle (not only read, then shaken out), relative to the project. */
  inputs: string[];
  /** The bundle's entry module, when `keepIn` asked for the files to stay. */
  entry?: string;
}

/** Bundles into a scratch folder, removed afterwards, or into `keepIn`, left for the caller (a test imports it). */
export async function bundleWorker(keepIn?: string): Promise<WorkerBundle> {
  const outdir = keepIn ?? (await mkdtemp(join(tmpdir(), "acs-worker-bundle-")));
  try {
    await promisify(execFile)(process.execPath, [WRANGLER_CLI, "deploy", "--dry-run", "--outdir", outdir, "--metafile"], { env: wranglerEnv() });
    const modules = (await readdir(outdir)).filter((name) => name.endsWith(".js") || name.endsWith(".mjs"));
    const code = Buffer.concat(await Promise.all(modules.map((name) => readFile(join(outdir, name)))));
    const meta = JSON.parse(await readFile(join(outdir, "bundle-meta.json"), "utf8")) as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    const inputs = Object.entries(meta.outputs)
      .filter(([file]) => !file.endsWith(".map"))
      .flatMap(([, output]) =>
        Object.entries(output.inputs)
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([file]) => file),
      );
    return { raw: code.length, gzip: gzipSync(code).length, inputs, ...(keepIn && { entry: join(outdir, "worker.js") }) };
  } finally {
    if (!keepIn) await rm(outdir, { recursive: true, force: true });
  }
}

// Not import.meta.main: Node 22, which the project supports, does not have it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  parseCli({
    script: "size:worker",
    summary: "Bundles the Cloudflare Worker as `wrangler deploy` would, without uploading anything, and prints the bundle's\nraw and gzip size.",
    options: {},
    example: "",
  });
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
  const bundle = await bundleWorker();
  console.log(`Worker bundle: ${kib(bundle.raw)} raw, ${kib(bundle.gzip)} gzip (${bundle.inputs.length} source files)`);
}

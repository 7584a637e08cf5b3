import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "../scripts/worker-size.ts";
import { createApp } from "../src/app.ts";
import { z as workerZ } from "../src/worker-stubs/zod.ts";

/** What `wrangler deploy` would upload: only what the Worker runs. */
let bundle: WorkerBundle;
const outdir = mkdtempSync(join(tmpdir(), "worker-bundle-test-"));
beforeAll(async () => {
  bundle = await bundleWorker(outdir);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("the Worker bundle", () => {
  it("holds the app and the ACS SDK", () => {
    expect(bundle.inputs).toContain("src/worker.ts");
    expect(bundle.inputs).toContain("src/app.ts");
    expect(bundle.inputs.some((file) => file.includes("node_modules/@azure/communication-identity/"))).toBe(true);
    expect(bundle.gzip).toBeLessThan(bundle.raw);
  });

  it("is at most 100 KiB gzip", () => {
    expect(bundle.gzip).toBeLessThanOrEqual(100 * 1024);
  });

  it.each([
    ["the emulator", "src/emulator/"],
    ["the Node entry", "src/node.ts"],
    // /swagger.json needs src/swagger2/; the file generator (all of src/connector/) stays out.
    ["the connector file generator", "src/connector/"],
    ["@azure/identity", "node_modules/@azure/identity/"],
    ["MSAL", "node_modules/@azure/msal-"],
    ["the Node server", "node_modules/@hono/node-server/"],
    ["the proxy agents", "-proxy-agent/"],
    ["debug", "node_modules/debug/"],
    // src/worker-stubs/zod.ts names what the schemas use, so zod's unused parts stay out.
    ["zod's schema compiler", "node_modules/zod/v4/core/compile.js"],
    ["zod's JSON Schema reader", "node_modules/zod/v4/classic/from-json-schema.js"],
    // src/worker-stubs/no-zod-json-schema.ts: the Worker converts no schema to JSON Schema.
    ["zod's JSON Schema writer", "node_modules/zod/v4/core/to-json-schema.js"],
    // hono/tiny: one small router instead of the two of the default preset.
    ["Hono's default routers", "hono/dist/router/reg-exp-router/"],
    ["Hono's CommonJS build", "hono/dist/cjs/"],
  ])("leaves out %s", (_name, fragment) => {
    expect(bundle.inputs.filter((file) => file.includes(fragment))).toEqual([]);
  });

  it("keeps zod's English messages and none of its other locales", () => {
    expect(bundle.inputs.filter((file) => file.includes("node_modules/zod/v4/locales/"))).toEqual(["node_modules/zod/v4/locales/en.js"]);
  });
});

describe("the Worker's zod (src/worker-stubs/zod.ts)", () => {
  /** Every `z.name(` in the sources, line breaks allowed (`z\n  .strictObject(`). */
  function membersCalled(dir: string): Set<string> {
    const names = new Set<string>();
    for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      const file = join(dir, entry);
      if (!file.endsWith(".ts") || statSync(file).isDirectory()) continue;
      for (const match of readFileSync(file, "utf8").matchAll(/(?<![\w$.])z\s*\.\s*([A-Za-z_$][\w$]*)\s*\(/g)) names.add(match[1]!);
    }
    return names;
  }

  it("holds every zod member the sources call", () => {
    const missing = [...membersCalled(join(import.meta.dirname, "..", "src"))].filter((name) => !(name in workerZ));
    expect(missing).toEqual([]);
  });
});

describe("the Worker's stand-in for zod's JSON Schema conversion (src/worker-stubs/no-zod-json-schema.ts)", () => {
  it("names every processor zod's schemas refer to, so none is silently undefined", async () => {
    const zodSchemas = readFileSync(join(import.meta.dirname, "..", "node_modules/zod/v4/classic/schemas.js"), "utf8");
    const referred = new Set([...zodSchemas.matchAll(/\bprocessors\.([A-Za-z]+)\b/g)].map((match) => match[1]!).filter((name) => name !== "js"));
    const stub = await import("../src/worker-stubs/no-zod-json-schema.ts");
    expect([...referred].filter((name) => !(name in stub))).toEqual([]);
    expect(referred.size).toBeGreaterThan(30);
  });

  it("refuses a conversion with a message that names it, rather than answering a wrong schema", async () => {
    const { toJSONSchema, createToJSONSchemaMethod } = await import("../src/worker-stubs/no-zod-json-schema.ts");
    expect(() => toJSONSchema()).toThrow(/not in the Worker bundle/);
    expect(() => createToJSONSchemaMethod()()).toThrow(/not in the Worker bundle/);
  });
});

describe("the bundled Worker, run as built", () => {
  const env = {
    COMMUNICATION_SERVICES_CONNECTION_STRING: `endpoint=https://bundle.communication.azure.com/;accesskey=${Buffer.alloc(32, 7).toString("base64")}`,
    API_KEYS: "b".repeat(32),
  };
  const call = async (path: string, init?: RequestInit) => {
    const { default: worker } = await import(pathToFileURL(bundle.entry!).href);
    return (await worker.fetch(new Request(`https://bundle.example${path}`, init), env, {})) as Response;
  };
  // The same app on Node, from the sources, with the same settings.
  const node = createApp({ services: { identity: {} as never }, apiKeys: [env.API_KEYS], log: () => {} }).app;

  it.each(["/openapi.json", "/swagger.json"])("serves %s exactly as the app built from the sources does", async (path) => {
    const fromBundle = await call(path);
    const fromSources = await node.request(`https://bundle.example${path}`);
    expect(fromBundle.status).toBe(200);
    expect(await fromBundle.json()).toEqual(await fromSources.json());
  });

  it("refuses an unknown field with the bundled schemas, as the sources do", async () => {
    const res = await call("/v1/users", {
      method: "POST",
      headers: { "X-API-Key": env.API_KEYS, "Content-Type": "application/json" },
      body: '{"scopes":["chat"],"extra":true}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: "extra", message: "Unknown field: this action does not take it." }]);
  });
});

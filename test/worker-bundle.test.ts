import { beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "../scripts/worker-size.ts";

/** What `wrangler deploy` would upload: only what the Worker runs. */
let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker();
});

describe("the Worker bundle", () => {
  it("holds the app and the ACS SDK", () => {
    expect(bundle.inputs).toContain("src/worker.ts");
    expect(bundle.inputs).toContain("src/app.ts");
    expect(bundle.inputs.some((file) => file.includes("node_modules/@azure/communication-identity/"))).toBe(true);
    expect(bundle.gzip).toBeLessThan(bundle.raw);
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
  ])("leaves out %s", (_name, fragment) => {
    expect(bundle.inputs.filter((file) => file.includes(fragment))).toEqual([]);
  });

  it("keeps zod's English messages and none of its other locales", () => {
    expect(bundle.inputs.filter((file) => file.includes("node_modules/zod/v4/locales/"))).toEqual(["node_modules/zod/v4/locales/en.js"]);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_ASSET_FILES } from "../src/docs-assets.ts";
import { swaggerUiDistDir } from "../src/docs-assets-node.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

const run = promisify(execFile);
const nodeTs = [process.execPath, "--experimental-strip-types", "--disable-warning=ExperimentalWarning"] as const;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** The same-origin paths the page loads through src= and href=. */
async function pageAssetPaths() {
  const page = await harness.call("GET", "/docs", { key: null });
  return [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
}

describe("GET /docs", () => {
  it("answers without an API key, with a CSP that allows this origin only", async () => {
    const page = await harness.call("GET", "/docs", { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain("<title>Communication Identities: API reference</title>");
    const csp = page.headers.get("content-security-policy")!.split("; ");
    expect(csp).toEqual(
      expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'"]),
    );
    expect(csp.join(" ")).not.toMatch(/https?:|unsafe-|\*/);
  });

  it("loads only its own files, each served with its type; the settings point at /openapi.json, with no validator", async () => {
    const paths = await pageAssetPaths();
    expect(paths.sort()).toEqual(["/docs/assets/favicon-32x32.png", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/init.js"]);
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, png: /^image\/png/ };
    for (const path of paths) {
      const response = await fetch(harness.base + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(types[path.split(".").pop()!]!);
    }
    const bundle = Buffer.from(await (await fetch(`${harness.base}/docs/assets/swagger-ui-bundle.js`)).arrayBuffer());
    expect(bundle.equals(readFileSync(join(swaggerUiDistDir, "swagger-ui-bundle.js")))).toBe(true);

    const init = await harness.call("GET", "/docs/init.js", { key: null });
    const config = JSON.parse(/SwaggerUIBundle\((.*)\);/.exec(init.text)![1]!);
    expect(config).toMatchObject({ url: "/openapi.json", validatorUrl: null, queryConfigEnabled: false });
  });

  it("serves nothing else of the package", async () => {
    for (const path of ["/docs/assets/package.json", "/docs/assets/swagger-ui-bundle.js.map", "/docs/assets/index.html", "/docs/assets/absolute-path.js"]) {
      const response = await harness.call("GET", path, { key: null });
      expect(response.status, path).toBe(404);
      expect(response.json.code).toBe("not_found");
    }
  });
});

describe("npm run docs:assets (the files a Worker serves as static assets)", () => {
  it("copies exactly the files the page loads into <folder>/docs/assets, unchanged", async () => {
    const folder = mkdtempSync(join(tmpdir(), "docs-assets-"));
    try {
      await run(nodeTs[0], [...nodeTs.slice(1), "scripts/docs-assets.ts", folder]);
      const copied = readdirSync(join(folder, "docs/assets")).sort();
      expect(copied).toEqual([...DOCS_ASSET_FILES].sort());
      const loaded = (await pageAssetPaths()).filter((path) => path.startsWith("/docs/assets/"));
      expect(loaded.map((path) => path.slice("/docs/assets/".length)).sort()).toEqual(copied);
      for (const file of copied) expect(readFileSync(join(folder, "docs/assets", file)).equals(readFileSync(join(swaggerUiDistDir, file))), file).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("npm run test:browser without chromium", () => {
  it("stops with one line saying how to install it", async () => {
    const failure = await run(nodeTs[0], [...nodeTs.slice(1), "test/browser/chromium.ts"], { env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" } }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(failure.stderr).toContain("apt-get install chromium");
  });
});

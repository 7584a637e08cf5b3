import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_ASSET_FILES, DOCS_ASSETS_PATH, docsAssetUrl } from "../src/docs-assets.ts";
import { swaggerUiDistDir } from "../src/docs-assets-node.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

const run = promisify(execFile);
const nodeTs = [process.execPath, "--experimental-strip-types", "--disable-warning=ExperimentalWarning"] as const;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** A GET with only the given headers, its body as sent (fetch would ask for gzip itself and unzip it). */
function raw(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(harness.base + path, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

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
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(csp.join(" ")).not.toMatch(/https?:|unsafe-|\*/);
  });

  it("loads only its own files, each served with its type; the settings point at /openapi.json, with no validator", async () => {
    const paths = await pageAssetPaths();
    expect(paths.sort()).toEqual([docsAssetUrl("favicon-32x32.png"), docsAssetUrl("swagger-ui-bundle.js"), docsAssetUrl("swagger-ui.css"), "/docs/init.js"]);
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, png: /^image\/png/ };
    for (const path of paths) {
      const response = await fetch(harness.base + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(types[path.split(".").pop()!]!);
    }

    const init = await harness.call("GET", "/docs/init.js", { key: null });
    const config = JSON.parse(/SwaggerUIBundle\((.*)\);/.exec(init.text)![1]!);
    expect(config).toMatchObject({ url: "/openapi.json", validatorUrl: null, queryConfigEnabled: false });
  });

  it("serves the files under the swagger-ui-dist version, cacheable for good", async () => {
    expect(DOCS_ASSETS_PATH).toBe(`/docs/assets/${JSON.parse(readFileSync(join(swaggerUiDistDir, "package.json"), "utf8")).version}`);
    for (const file of DOCS_ASSET_FILES) {
      const response = await raw(docsAssetUrl(file));
      expect(response.status, file).toBe(200);
      expect(response.headers["cache-control"], file).toBe("public, max-age=31536000, immutable");
    }
  });

  it.each(["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui.css.map"] as const)(
    "sends %s gzipped to a client that accepts gzip, the package's bytes once unzipped",
    async (file) => {
      const original = readFileSync(join(swaggerUiDistDir, file));
      const zipped = await raw(docsAssetUrl(file), { "Accept-Encoding": "gzip" });
      expect(zipped.status).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.vary).toMatch(/accept-encoding/i);
      expect(zipped.body.length).toBeLessThan(original.length / 2);
      expect(gunzipSync(zipped.body).equals(original)).toBe(true);

      const plain = await raw(docsAssetUrl(file));
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers["content-length"]).toBe(String(original.length));
      expect(plain.body.equals(original)).toBe(true);
    },
  );

  it("does not gzip the PNG icon, which is compressed already", async () => {
    const icon = await raw(docsAssetUrl("favicon-32x32.png"), { "Accept-Encoding": "gzip" });
    expect(icon.headers["content-encoding"]).toBeUndefined();
    expect(icon.body.equals(readFileSync(join(swaggerUiDistDir, "favicon-32x32.png")))).toBe(true);
  });

  it("serves the source map the stylesheet names", async () => {
    const css = await raw(docsAssetUrl("swagger-ui.css"));
    const [, name] = /sourceMappingURL=(\S+?)\s*\*\//.exec(css.body.toString("utf8"))!;
    const map = await raw(new URL(name!, `http://host${docsAssetUrl("swagger-ui.css")}`).pathname);
    expect(map.status).toBe(200);
    expect(JSON.parse(map.body.toString("utf8"))).toMatchObject({ version: 3 });
  });

  it("serves nothing else of the package, and nothing at the unversioned paths", async () => {
    const others = ["package.json", "swagger-ui-bundle.js.map", "index.html", "absolute-path.js"].map((file) => `${DOCS_ASSETS_PATH}/${file}`);
    for (const path of [...others, "/docs/assets/swagger-ui-bundle.js", "/docs/assets/0.0.1/swagger-ui-bundle.js"]) {
      const response = await harness.call("GET", path, { key: null });
      expect(response.status, path).toBe(404);
      expect(response.json.code).toBe("not_found");
    }
  });
});

describe("npm run docs:assets (the files a Worker serves as static assets)", () => {
  it("copies exactly the listed files, unchanged, to the path the page loads them from, and gives them the same Cache-Control", async () => {
    const folder = mkdtempSync(join(tmpdir(), "docs-assets-"));
    try {
      mkdirSync(join(folder, "docs/assets/0.0.1"), { recursive: true });
      await run(nodeTs[0], [...nodeTs.slice(1), "scripts/docs-assets.ts", folder]);
      expect(readdirSync(join(folder, "docs/assets"))).toEqual([DOCS_ASSETS_PATH.split("/").pop()]);
      const copied = readdirSync(join(folder, DOCS_ASSETS_PATH)).sort();
      expect(copied).toEqual([...DOCS_ASSET_FILES].sort());
      for (const file of copied) expect(readFileSync(join(folder, DOCS_ASSETS_PATH, file)).equals(readFileSync(join(swaggerUiDistDir, file))), file).toBe(true);
      const loaded = (await pageAssetPaths()).filter((path) => path.startsWith(`${DOCS_ASSETS_PATH}/`));
      expect(copied).toEqual(expect.arrayContaining(loaded.map((path) => path.slice(DOCS_ASSETS_PATH.length + 1))));
      // Workers static assets' headers file: this rule for every path under /docs/assets.
      expect(readFileSync(join(folder, "_headers"), "utf8")).toBe("/docs/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("npm run test:browser without chromium", () => {
  it("stops with one line saying how to install it", async () => {
    const failure = await run(nodeTs[0], [...nodeTs.slice(1), "test/browser/chromium.ts"], {
      env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" },
    }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(failure.stderr).toContain("apt-get install chromium");
  });
});

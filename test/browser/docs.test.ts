import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromium, type Page } from "playwright-core";
import { type Harness, startHarness } from "../helpers/harness.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

/**
 * The README's screenshots: this test takes them into a temporary folder, which it removes, so a test run leaves the
 * tree as it was; `npm run docs:screenshots` points SCREENSHOTS_DIR at docs/ to refresh them.
 */
const screenshotsDir = process.env.SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), "acs-docs-screenshots-"));
const screenshotPath = (name: string) => join(screenshotsDir, name);

/** The five actions and the connector's own two (internal in the designer, listed here for developers). */
const SUMMARIES = [
  "Create a user",
  "Issue a user access token",
  "Revoke user access tokens",
  "Delete a user",
  "Exchange a Teams user token",
  "Test the connection",
  "List token scopes",
];

let harness: Harness;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // As `npm start` runs with nothing configured: on the emulator, with a generated key.
  harness = await startHarness({ apiKeys: ["docs-page-key"], runNotes: { emulator: true, generatedKey: true } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (request) => requested.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // page.on("request") never sees what the CSP blocks, so record every violation too: a blocked try is a failure.
  await page.addInitScript(() => {
    (window as any).cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => (window as any).cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  if (!process.env.SCREENSHOTS_DIR) rmSync(screenshotsDir, { recursive: true, force: true });
});

describe("GET /docs in chromium", () => {
  it("lists every operation with its summary", async () => {
    const response = await page.goto(`${harness.base}/docs`);
    expect(response?.status()).toBe(200);
    // The first render of Swagger UI on a loaded machine can take seconds: wait for it, not for a fixed time.
    await expect.poll(() => page.locator(".opblock").count(), { timeout: 15_000 }).toBe(SUMMARIES.length);
    const summaries = await page.locator(".opblock .opblock-summary-description").allTextContents();
    expect(summaries.sort()).toEqual([...SUMMARIES].sort());
    await expect.poll(() => page.locator(".info .title").textContent()).toContain("Communication Identities");
    expect(await page.locator(".info .description").textContent()).toMatch(/^This instance runs on the embedded ACS emulator\. .*not valid for Azure/);
    await page.screenshot({ path: screenshotPath("api-reference.png"), fullPage: true });
    expect(existsSync(screenshotPath("api-reference.png"))).toBe(true);
  });

  it("runs Create a user with the API key entered in the page, and gets 201 with a user id", async () => {
    await page.locator(".auth-wrapper button.authorize").click();
    // The dialog tells where this run's key is: printed by npm start, not in an API_KEYS nobody set.
    expect(await page.locator(".auth-container").first().textContent()).toContain(
      "The API key that npm start generated for this run and printed once when it started",
    );
    await page.locator(".auth-container input").fill("docs-page-key");
    await page.locator(".auth-btn-wrapper button.authorize").click();
    await page.locator(".auth-btn-wrapper button.btn-done").click();

    const operation = page.locator("#operations-Users-CreateUser");
    await operation.locator(".opblock-summary").click();
    await operation.locator("textarea.body-param__text").fill('{ "scopes": ["chat"] }');
    const [sent] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${harness.base}/v1/users` && r.request().method() === "POST"),
      operation.locator("button.execute").click(),
    ]);
    expect(sent.request().headers()["x-api-key"]).toBe("docs-page-key");
    expect(sent.status()).toBe(201);

    // What the page shows the developer: the status and the body with the new user's id.
    const live = operation.locator(".live-responses-table");
    await expect.poll(() => live.locator("tr.response .response-col_status").first().textContent()).toBe("201");
    const shown = JSON.parse((await live.locator("tr.response .response-col_description pre.microlight").first().textContent()) ?? "{}");
    expect(shown.userId).toMatch(/^8:acs:/);
    expect(shown.token).toMatch(/^ey/);
    expect(await harness.requests()).toContainEqual(expect.objectContaining({ method: "POST", path: "/identities", status: 201 }));

    // From the action's header down to the answer it got; the documented responses below are left out.
    const top = await operation.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
    const bottom = await live.evaluate((element) => element.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({
      path: screenshotPath("api-reference-try-it.png"),
      fullPage: true,
      clip: { x: 0, y: top - 8, width: 1280, height: bottom - top + 16 },
    });
  });

  it("made no request to any other origin, and nothing tried to", async () => {
    expect(requested.length).toBeGreaterThan(4);
    expect(requested.filter((url) => new URL(url).origin !== harness.base)).toEqual([]);
    expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("blocks a request to another origin by its Content-Security-Policy, so none could slip out", async () => {
    const outcome = await page.evaluate(() =>
      fetch("https://cdn.example.com/font.woff2").then(
        () => "fetched",
        () => "refused",
      ),
    );
    expect(outcome).toBe("refused");
    expect(await page.evaluate(() => (window as any).cspViolations)).toEqual(["connect-src https://cdn.example.com/font.woff2"]);
  });
});

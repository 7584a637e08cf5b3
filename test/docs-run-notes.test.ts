import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { startNodeService } from "./helpers/node-service.ts";

/** /openapi.json, which /docs shows, says when the run is on the emulator and where a generated key comes from. */

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

async function documents(env: Record<string, string>) {
  const run = startNodeService(env);
  children.push(run.child);
  const base = await run.listening;
  const openapi = await (await fetch(`${base}/openapi.json`)).json();
  const swagger = await (await fetch(`${base}/swagger.json`, { headers: { "X-Forwarded-Proto": "http" } })).json();
  return { openapi, swagger };
}

describe("/docs and /openapi.json on the embedded emulator", () => {
  it("with no configuration: the page says it is the emulator, and Authorize speaks of the key printed at start", async () => {
    const { openapi, swagger } = await documents({});
    expect(openapi.info.description).toMatch(/^\*\*This instance runs on the embedded ACS emulator\.\*\* .*\*\*not valid for Azure\*\*/);
    expect(openapi.info.description).toContain("COMMUNICATION_SERVICES_CONNECTION_STRING");
    expect(openapi.components.securitySchemes.ApiKey.description).toMatch(
      /^The API key that `npm start` generated for this run and printed once when it started/,
    );
    expect(openapi.components.securitySchemes.ApiKey.description).not.toContain("API_KEYS setting");
    // The connector definition describes the service, not this run.
    expect(swagger.info.description).not.toContain("emulator");
    expect(JSON.stringify(swagger.securityDefinitions)).not.toContain("generated");
  });

  it("with API_KEYS on the emulator: the emulator note, and Authorize speaks of API_KEYS", async () => {
    const { openapi } = await documents({ API_KEYS: "0123456789abcdef" });
    expect(openapi.info.description).toMatch(/^\*\*This instance runs on the embedded ACS emulator/);
    expect(openapi.components.securitySchemes.ApiKey.description).toContain("API_KEYS");
    expect(openapi.components.securitySchemes.ApiKey.description).not.toContain("generated");
  });

  it("with a configured resource and API_KEYS: neither note", async () => {
    const { openapi } = await documents({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "0123456789abcdef" });
    expect(openapi.info.description).not.toContain("emulator");
    expect(openapi.info.description).toMatch(/^Create Azure Communication Services users/);
    expect(openapi.components.securitySchemes.ApiKey.description).toContain("API_KEYS");
  });
});

// The emulator's control endpoints (/_emulator/*) are out of reach of web pages: only application/json bodies
// (415), no Origin but the emulator's own (403), only a loopback Host (403). Over raw HTTP, so that every header
// is exactly what a browser or an attacker could send.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { rawRequest } from "./helpers/raw-http.ts";

let emulator: RunningEmulator;
let own: string;
beforeAll(async () => {
  emulator = await startEmulator();
  own = `http://127.0.0.1:${emulator.port}`;
});
afterAll(() => emulator.close());
afterEach(async () => {
  await control("DELETE", "/_emulator/faults");
});

const FAULT = JSON.stringify({ status: 500, times: 1 });

function control(method: string, target: string, options: { headers?: [string, string][]; body?: string; host?: string } = {}) {
  return rawRequest(emulator.endpoint, { method, target, ...options });
}

async function queuedFaults(): Promise<unknown[]> {
  return (JSON.parse((await control("GET", "/_emulator/faults")).body) as { faults: unknown[] }).faults;
}

describe("control endpoints take only application/json", () => {
  it.each([
    ["no Content-Type", []],
    ["text/plain", [["Content-Type", "text/plain"]]],
    ["a form", [["Content-Type", "application/x-www-form-urlencoded"]]],
    ["multipart", [["Content-Type", "multipart/form-data; boundary=x"]]],
    ["application/jsonp", [["Content-Type", "application/jsonp"]]],
  ] as [string, [string, string][]][])("refuses a POST with %s: 415, and nothing is queued", async (_name, headers) => {
    for (const target of ["/_emulator/faults", "/_emulator/verify"]) {
      const response = await control("POST", target, { headers, body: target.endsWith("faults") ? FAULT : '{"token":"x"}' });
      expect(response.status, target).toBe(415);
      expect(JSON.parse(response.body).error.code).toBe("UnsupportedMediaType");
    }
    expect(await queuedFaults()).toEqual([]);
  });

  it("accepts application/json, with a charset or in capitals", async () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON"]) {
      expect((await control("POST", "/_emulator/faults", { headers: [["Content-Type", type]], body: FAULT })).status, type).toBe(200);
    }
    expect(await queuedFaults()).toHaveLength(3);
  });

  it("asks nothing of requests without a body", async () => {
    expect((await control("GET", "/_emulator/requests")).status).toBe(200);
    expect((await control("DELETE", "/_emulator/requests")).status).toBe(204);
    expect((await control("DELETE", "/_emulator/faults", { headers: [["Content-Type", "text/plain"]], body: "x" })).status).toBe(415);
  });
});

describe("control endpoints refuse other origins", () => {
  it.each(["http://evil.example", "null", "http://localhost", "https://127.0.0.1", "http://127.0.0.1:1"])("refuses Origin %s with 403", async (origin) => {
    const headers: [string, string][] = [
      ["Origin", origin],
      ["Content-Type", "application/json"],
    ];
    const post = await control("POST", "/_emulator/faults", { headers, body: FAULT });
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body).error.code).toBe("Forbidden");
    expect((await control("GET", "/_emulator/requests", { headers })).status).toBe(403);
    expect((await control("DELETE", "/_emulator/faults", { headers })).status).toBe(403);
    expect(await queuedFaults()).toEqual([]);
  });

  it("accepts the emulator's own origin, and no Origin at all", async () => {
    const post = await control("POST", "/_emulator/faults", {
      headers: [
        ["Origin", own],
        ["Content-Type", "application/json"],
      ],
      body: FAULT,
    });
    expect(post.status).toBe(200);
    expect((await control("GET", "/_emulator/requests")).status).toBe(200);
  });
});

describe("control endpoints answer only to a loopback Host", () => {
  it.each(["evil.example", "evil.example:80", "127.0.0.1.evil.example", "10.0.0.1", "[::2]:80", ""])("refuses Host %j with 403", async (host) => {
    const response = await control("POST", "/_emulator/faults", { host, headers: [["Content-Type", "application/json"]], body: FAULT });
    // Node itself answers 400 to an empty Host on HTTP/1.1; either way nothing is done.
    expect([400, 403]).toContain(response.status);
    if (host !== "") expect(JSON.parse(response.body).error.code).toBe("Forbidden");
    expect((await control("GET", "/_emulator/requests", { host })).status).not.toBe(200);
    expect(await queuedFaults()).toEqual([]);
  });

  it.each(["localhost", "LOCALHOST:8080", "127.0.0.1", "127.1.2.3:99", "[::1]:4010"])("accepts Host %s", async (host) => {
    expect((await control("GET", "/_emulator/requests", { host })).status).toBe(200);
  });

  it("leaves the ACS API alone: a foreign Host or Origin there is the signature's business", async () => {
    const response = await rawRequest(emulator.endpoint, {
      method: "POST",
      target: "/identities?api-version=2023-10-01",
      host: "evil.example",
      headers: [["Origin", "http://evil.example"]],
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe("Denied");
  });
});

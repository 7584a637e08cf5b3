// Fault injection and the request log.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { signedFetch } from "./helpers/emulator-sign.ts";

const CREATE = "/identities?api-version=2023-10-01";
let emulator: RunningEmulator;

function control(path: string, method = "GET", body?: unknown): Promise<Response> {
  return fetch(new URL(`_emulator/${path}`, emulator.endpoint), {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
}

async function addFault(fault: unknown): Promise<void> {
  const response = await control("faults", "POST", fault);
  expect(response.status).toBe(200);
}

async function logged(): Promise<{ method: string; path: string; status: number | null; clientRequestId: string | null }[]> {
  return ((await (await control("requests")).json()) as { requests: never[] }).requests;
}

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  expect((await control("faults", "DELETE")).status).toBe(204);
  expect((await control("requests", "DELETE")).status).toBe(204);
});

afterAll(async () => {
  await emulator.close();
});

describe("emulator: fault injection", () => {
  it("answers 429 with Retry-After and a TooManyRequests body, then recovers", async () => {
    await addFault({ status: 429, times: 1, retryAfterSeconds: 7 });
    const throttled = await signedFetch(emulator, CREATE);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect(throttled.headers.get("content-type")).toBe("application/json");
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe("TooManyRequests");
    expect((await signedFetch(emulator, CREATE)).status).toBe(201);
  });

  it("answers 500 and 503 with ACS error bodies, counting `times`, in the order queued", async () => {
    await addFault({ status: 500, times: 2 });
    await addFault({ status: 503, times: 1 });
    const statuses: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await signedFetch(emulator, CREATE);
      statuses.push(response.status);
      if (response.status >= 500) codes.push(((await response.json()) as { error: { code: string } }).error.code);
      else await response.body?.cancel();
    }
    expect(statuses).toEqual([500, 500, 503, 201]);
    expect(codes).toEqual(["InternalServerError", "InternalServerError", "ServiceUnavailable"]);
  });

  it("applies faults before authentication: an unsigned request gets the fault too", async () => {
    await addFault({ status: 503, times: 1 });
    expect((await fetch(new URL(CREATE, emulator.endpoint), { method: "POST" })).status).toBe(503);
  });

  it("drops the connection without an answer", async () => {
    await addFault({ drop: true, times: 1 });
    await expect(signedFetch(emulator, CREATE)).rejects.toThrow();
    expect((await signedFetch(emulator, CREATE)).status).toBe(201);
    const requests = await logged();
    expect(requests.map((request) => request.status)).toEqual([null, 201]);
  });

  it("drops the connection when a status comes with drop: there is no answer to give", async () => {
    await addFault({ status: 500, drop: true, times: 1 });
    await expect(signedFetch(emulator, CREATE)).rejects.toThrow();
    expect((await logged()).map((request) => request.status)).toEqual([null]);
  });

  it("delays answers with delayMs alone, and delays a fault with it", async () => {
    await addFault({ delayMs: 300, times: 1 });
    let started = Date.now();
    expect((await signedFetch(emulator, CREATE)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    started = Date.now();
    expect((await signedFetch(emulator, CREATE)).status).toBe(201);
    expect(Date.now() - started).toBeLessThan(250);

    await addFault({ status: 500, delayMs: 200, times: 1 });
    started = Date.now();
    expect((await signedFetch(emulator, CREATE)).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it("leaves /_emulator requests alone", async () => {
    await addFault({ status: 500, times: 1 });
    expect((await control("requests")).status).toBe(200);
    const faults = ((await (await control("faults")).json()) as { faults: { remaining: number }[] }).faults;
    expect(faults).toEqual([{ status: 500, times: 1, remaining: 1 }]);
    expect((await signedFetch(emulator, CREATE)).status).toBe(500);
  });

  it("clears queued faults with DELETE", async () => {
    await addFault({ status: 500, times: 5 });
    expect((await control("faults", "DELETE")).status).toBe(204);
    expect((await signedFetch(emulator, CREATE)).status).toBe(201);
  });

  it.each([
    [{ status: 404, times: 1 }],
    [{ status: 500 }],
    [{ status: 500, times: 0 }],
    [{ status: 500, times: 1.5 }],
    [{ times: 1 }],
    [{ drop: false, times: 1 }],
    [{ status: 429, times: 1, retryAfterSeconds: -1 }],
    [{ delayMs: -5, times: 1 }],
    [{ status: 500, times: 1, color: "red" }],
    [[]],
    ["text"],
  ])("refuses the fault %j with 400", async (fault) => {
    const response = await control("faults", "POST", fault);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
  });

  it("goes through the SDK's own retries: a 503 once is invisible, the SDK retries and succeeds", async () => {
    const client = new CommunicationIdentityClient(emulator.connectionString, {
      allowInsecureConnection: true,
      retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 20 },
    });
    await addFault({ status: 503, times: 1 });
    const user = await client.createUser();
    expect(user.communicationUserId).toMatch(/^8:acs:/);
    expect((await logged()).map((request) => request.status)).toEqual([503, 201]);
  });
});

describe("emulator: request log", () => {
  it("lists every ACS request with method, path, status and client request id, refused ones included", async () => {
    const client = new CommunicationIdentityClient(emulator.connectionString, { allowInsecureConnection: true });
    const user = await client.createUser();
    await client.getToken(user, ["chat"]);
    await fetch(new URL(CREATE, emulator.endpoint), { method: "POST", headers: { "x-ms-client-request-id": "unsigned-1" } });
    await signedFetch(emulator, "/nowhere?api-version=2023-10-01", { method: "GET" });
    await control("verify", "POST", { token: "x" });

    const requests = await logged();
    expect(requests).toHaveLength(4);
    expect(requests[0]).toMatchObject({ method: "POST", path: "/identities", status: 201, auth: "hmac" });
    expect(requests[0]?.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[1]).toMatchObject({
      method: "POST",
      path: `/identities/${encodeURIComponent(user.communicationUserId)}/:issueAccessToken`,
      status: 200,
    });
    expect(requests[2]).toEqual({ method: "POST", path: "/identities", status: 401, clientRequestId: "unsigned-1", auth: null });
    expect(requests[3]).toEqual({ method: "GET", path: "/nowhere", status: 404, clientRequestId: null, auth: "hmac" });
  });

  it("is emptied by DELETE", async () => {
    await signedFetch(emulator, CREATE);
    expect(await logged()).toHaveLength(1);
    await control("requests", "DELETE");
    expect(await logged()).toEqual([]);
  });
});

describe("emulator: close", () => {
  it("closes promptly with kept-alive connections and a pending delayed request", async () => {
    const other = await startEmulator();
    const client = new CommunicationIdentityClient(other.connectionString, { allowInsecureConnection: true });
    await client.createUser(); // leaves a kept-alive socket
    await fetch(new URL("_emulator/faults", other.endpoint), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ delayMs: 60_000, times: 1 }),
    });
    const pending = signedFetch(other, CREATE).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    await other.close(); // idempotent
  });
});

import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeService } from "./helpers/node-service.ts";

/**
 * The Node entry's limits on slow, idle and too many clients, over raw sockets against `npm start` itself. The
 * limits are made small through their settings so the tests run quickly; what is asserted is what the client got
 * and that the server closed the socket, never how long it took.
 */

const KEY = "limits-test-key-0123456789";

function startService(env: Record<string, string>) {
  const run = startNodeService({ API_KEYS: KEY, ...env });
  return { run, stop: () => void run.child.kill("SIGKILL") };
}

/** A socket whose every received byte is kept; `closed` settles when the server (or the bound) ends it. */
async function open(base: string) {
  const url = new URL(base);
  const socket: Socket = connect(Number(url.port), url.hostname);
  socket.on("error", () => {});
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await once(socket, "connect");
  return {
    socket,
    received: () => received,
    /** Resolves with what arrived once the server closed the socket; fails the test if it is still open after `boundMs`. */
    async closedByServer(boundMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`socket still open after ${boundMs} ms; got ${JSON.stringify(received.slice(0, 200))}`)), boundMs)),
      );
      try {
        await Promise.race([closed, bound]);
      } finally {
        clearTimeout(timer);
        socket.destroy();
      }
      return received;
    },
  };
}

/** Writes `text` one byte at a time, every `everyMs`, until the socket closes. */
function drip(socket: Socket, text: string, everyMs = 50) {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) return clearInterval(timer);
    socket.write(text[at++]!);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

const logLines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("slow and idle clients", () => {
  let service: ReturnType<typeof startService>;
  let base: string;
  beforeAll(async () => {
    service = startService({ HEADERS_TIMEOUT_MS: "400", REQUEST_TIMEOUT_MS: "800", KEEP_ALIVE_TIMEOUT_MS: "200" });
    base = await service.run.listening;
  });
  afterAll(() => service.stop());

  it("headers dripped slower than HEADERS_TIMEOUT_MS: 408 and the connection closed", async () => {
    const client = await open(base);
    drip(client.socket, `GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${"a".repeat(10_000)}\r\n\r\n`);
    expect(await client.closedByServer()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a connection that never sends a byte is closed the same way", async () => {
    const client = await open(base);
    expect(await client.closedByServer()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a body dripped past REQUEST_TIMEOUT_MS: 408, the connection closed, and one info line saying aborted (no error, no 500)", async () => {
    const client = await open(base);
    client.socket.write(
      `POST /v1/users HTTP/1.1\r\nHost: x\r\nX-API-Key: ${KEY}\r\nX-Ms-Client-Request-Id: slow-body-1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n`,
    );
    drip(client.socket, " ".repeat(10_000));
    expect(await client.closedByServer()).toMatch(/^HTTP\/1\.1 408 /);
    // The log line is written once the app has seen the body stop: wait for it, bounded.
    for (let i = 0; i < 100 && !service.run.output().stdout.includes("slow-body-1"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logLines(service.run.output().stdout).filter((line) => line.requestId === "slow-body-1");
    expect(lines).toEqual([expect.objectContaining({ level: "info", aborted: true, route: "/v1/users", status: 499 })]);
    expect(service.run.output().stdout).not.toContain('"level":"error"');
  });

  it("an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS", async () => {
    const client = await open(base);
    client.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    const received = await client.closedByServer();
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).not.toMatch(/connection: close/i);
  });

  it("GET /health announcing a 1 GB body answers at once and closes the connection, reading none of it", async () => {
    const client = await open(base);
    client.socket.write("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
    const received = await client.closedByServer();
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).toContain('{"status":"ok"}');
  });

  it.each([
    ["DELETE of a user with a 1 GB body announced", "DELETE /v1/users/x HTTP/1.1"],
    ["an unauthenticated POST with a 1 GB body announced", "POST /v1/users HTTP/1.1"],
  ])("%s: answered without the body, then closed", async (_name, requestLine) => {
    const client = await open(base);
    const key = requestLine.startsWith("DELETE") ? `X-API-Key: ${KEY}\r\n` : "";
    client.socket.write(`${requestLine}\r\nHost: x\r\n${key}Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n`);
    const received = await client.closedByServer();
    expect(received).toMatch(/^HTTP\/1\.1 (400|401) /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
  });
});

describe("MAX_CONNECTIONS", () => {
  let service: ReturnType<typeof startService>;
  let base: string;
  beforeAll(async () => {
    service = startService({ MAX_CONNECTIONS: "3", KEEP_ALIVE_TIMEOUT_MS: "30000" });
    base = await service.run.listening;
  });
  afterAll(() => service.stop());

  it("closes a connection past the cap at once, and serves again once one is freed", async () => {
    const held = await Promise.all([1, 2, 3].map(() => open(base)));
    // Each held connection has been served once, so the server counts it; then it idles (keep-alive).
    for (const client of held) {
      client.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      while (!client.received().includes('{"status":"ok"}')) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const extra = await open(base);
    extra.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await extra.closedByServer()).toBe("");

    held[0]!.socket.destroy();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await fetch(`${base}/health`, { headers: { Connection: "close" } }).then(
        (res) => res.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    for (const client of held) client.socket.destroy();
  });
});

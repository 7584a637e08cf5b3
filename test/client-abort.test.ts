import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";

/** A client that goes away halfway through its body is its own doing: one info line, never an error or a 500. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function waitForLine(requestId: string) {
  for (let i = 0; i < 200; i++) {
    const lines = h.logs.filter((line) => line.requestId === requestId);
    if (lines.length) return lines;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no log line for ${requestId}`);
}

/** Sends the head and part of the body over a raw socket, then drops the connection. */
async function abandon(path: string, requestId: string, framing: "length" | "chunked") {
  const url = new URL(h.base);
  const socket = connect(Number(url.port), url.hostname);
  socket.on("error", () => {});
  await once(socket, "connect");
  const length = framing === "length" ? "Content-Length: 1000" : "Transfer-Encoding: chunked";
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nX-API-Key: ${h.apiKeys[0]}\r\nx-ms-client-request-id: ${requestId}\r\nContent-Type: application/json\r\n${length}\r\n\r\n`,
  );
  socket.write(framing === "length" ? '{"scopes":["ch' : '10\r\n{"scopes":["chat\r\n');
  // Let the service start reading before the client disappears.
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.destroy();
}

describe("a client that drops its connection mid-body", () => {
  it.each([
    ["CreateUser, Content-Length", "/v1/users", "length"],
    ["CreateUser, chunked", "/v1/users", "chunked"],
    ["IssueAccessToken, Content-Length", userPath(FOREIGN_USER_ID, "/tokens"), "length"],
    ["ExchangeTeamsToken, chunked", "/v1/teams/tokens", "chunked"],
  ] as const)("%s: one info line saying aborted, no error line, no 500, nothing sent to ACS", async (name, path, framing) => {
    await h.clearRequests();
    const requestId = `abort-${name.replace(/\W+/g, "-")}`;
    await abandon(path, requestId, framing);
    const lines = await waitForLine(requestId);
    expect(lines).toEqual([expect.objectContaining({ level: "info", aborted: true, status: 499, method: "POST" })]);
    expect(h.logs.filter((line) => line.level === "error" || line.status === 500)).toEqual([]);
    expect(await h.requests()).toEqual([]);
  });
});

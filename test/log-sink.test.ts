import { once } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "../src/emulator/index.ts";
import { bufferedLogSink } from "../src/log-sink.ts";
import { startNodeService } from "./helpers/node-service.ts";

describe("the buffered log sink", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds lines until the interval has passed, then writes them in one write", () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const sink = bufferedLogSink((text) => writes.push(text), { intervalMs: 100 });
    sink.log({ n: 1 });
    sink.log({ n: 2 });
    vi.advanceTimersByTime(99);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
  });

  it("writes at once when the batch reaches its size, without waiting for the timer", () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const sink = bufferedLogSink((text) => writes.push(text), { intervalMs: 100, maxBytes: 40 });
    sink.log({ text: "a".repeat(10) }); // 22 characters with its newline
    expect(writes).toEqual([]);
    sink.log({ text: "b".repeat(10) });
    expect(writes).toEqual([`{"text":"${"a".repeat(10)}"}\n{"text":"${"b".repeat(10)}"}\n`]);
    sink.log({ n: 3 });
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([expect.any(String), '{"n":3}\n']);
  });

  it("flush() writes what waits at once, and nothing when nothing waits", () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const sink = bufferedLogSink((text) => writes.push(text));
    sink.flush();
    expect(writes).toEqual([]);
    sink.log({ n: 1 });
    sink.flush();
    expect(writes).toEqual(['{"n":1}\n']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
  });
});

describe("npm start's log on the way out", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("keeps every request's line when stopped by %s right after the last answer", async (signal) => {
    const emulator = await startEmulator();
    const run = startNodeService({ COMMUNICATION_SERVICES_CONNECTION_STRING: emulator.connectionString, API_KEYS: "sink-key" });
    try {
      const base = await run.listening;
      const requests = 20;
      for (let i = 0; i < requests; i++) {
        const res = await fetch(`${base}/v1/users`, { method: "POST", headers: { "X-API-Key": "sink-key", "x-ms-client-request-id": `sink-${i}` } });
        expect(res.status).toBe(201);
        await res.arrayBuffer();
      }
      run.child.kill(signal);
      const [code] = await once(run.child, "exit");
      expect(code).toBe(0);
      const lines = run
        .output()
        .stdout.trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines.map((line) => line.requestId)).toEqual(Array.from({ length: requests }, (_, i) => `sink-${i}`));
    } finally {
      run.child.kill("SIGKILL");
      await emulator.close();
    }
  });
});

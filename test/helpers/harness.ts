import type { AddressInfo } from "node:net";
import { once } from "node:events";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { createIdentityClient } from "../../src/acs/client.ts";
import { createApp } from "../../src/app.ts";
import type { EntraVerifier } from "../../src/entra.ts";
import { serveDocsAssets } from "../../src/docs-assets-node.ts";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.ts";
import type { RunNotes } from "../../src/run-notes.ts";

export interface HarnessOptions {
  apiKeys?: string[];
  timeoutMs?: number;
  /** Give the service a different access key than the emulator's, to see ACS refuse it. */
  serviceAccessKey?: string;
  /** The emulator's access key (base64); random when absent. */
  emulatorAccessKey?: string;
  /** Accept Entra ID bearer tokens, checked by this verifier. */
  entra?: EntraVerifier;
  corsOrigins?: string[];
  /** RATE_LIMIT_PER_MINUTE: counted in the service's process. */
  rateLimitPerMinute?: number;
  /** What /openapi.json and /docs say about the run, as the Node entry sets them. */
  runNotes?: RunNotes;
}

export interface EmulatorRequest {
  method: string;
  path: string;
  status: number | null;
  clientRequestId?: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as it is, with no Content-Type added. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** The X-API-Key to send; null sends none. Defaults to the harness's first key. */
  key?: string | null;
}

/** Starts the emulator and the service on ephemeral loopback ports, as `npm start` wires them, and stops both. */
export async function startHarness(options: HarnessOptions = {}) {
  const apiKeys = options.apiKeys ?? ["test-key-primary", "test-key-secondary"];
  const emulator: RunningEmulator = await startEmulator(options.emulatorAccessKey ? { accessKey: options.emulatorAccessKey } : {});
  const identity = createIdentityClient(
    { kind: "access-key", endpoint: emulator.endpoint, accessKey: options.serviceAccessKey ?? emulator.accessKey },
    { timeoutMs: options.timeoutMs ?? 15_000 },
  );
  const logs: Record<string, unknown>[] = [];
  const { app, document } = createApp({
    services: { identity },
    apiKeys,
    ...(options.entra && { entra: options.entra }),
    ...(options.corsOrigins && { corsOrigins: options.corsOrigins }),
    ...(options.rateLimitPerMinute && { rateLimit: { perMinute: options.rateLimitPerMinute } }),
    ...(options.runNotes && { runNotes: options.runNotes }),
    log: (line) => logs.push(line),
  });
  serveDocsAssets(app);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  if (!server.listening) await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(method: string, path: string, opts: CallOptions = {}) {
    const headers = new Headers(opts.headers);
    const key = opts.key === undefined ? apiKeys[0] : opts.key;
    if (key !== null && key !== undefined) headers.set("X-API-Key", key);
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      if (!headers.has("content-type")) headers.set("Content-Type", "application/json");
    }
    const response = await fetch(base + path, { method, headers, ...(body !== undefined && { body }) });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  async function emulatorCall(method: string, path: string, body?: unknown) {
    const response = await fetch(new URL(path, emulator.endpoint), {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  return {
    base,
    /** The app being served: a test may add a route to it before its first request. */
    app,
    apiKeys,
    emulator,
    document,
    logs,
    call,
    /** ACS requests the emulator received since start (or since clearRequests). */
    requests: async (): Promise<EmulatorRequest[]> => (await emulatorCall("GET", "/_emulator/requests")).requests,
    clearRequests: () => emulatorCall("DELETE", "/_emulator/requests"),
    fault: (fault: Record<string, unknown>) => emulatorCall("POST", "/_emulator/faults", fault),
    clearFaults: () => emulatorCall("DELETE", "/_emulator/faults"),
    verify: (token: string): Promise<{ valid: boolean; reason?: string }> => emulatorCall("POST", "/_emulator/verify", { token }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Path of a user's resource, with the id percent-encoded as clients send it. */
export const userPath = (userId: string, suffix = "") => `/v1/users/${encodeURIComponent(userId)}${suffix}`;

/** A well-formed user id of some other resource (the all-zero id the SDK's live tests use). */
export const FOREIGN_USER_ID = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";

import type { ServerOptions } from "node:http";
import { serve } from "@hono/node-server";
import type { TokenCredential } from "@azure/core-auth";
import { createIdentityClient } from "./acs/client.ts";
import { createApp } from "./app.ts";
import { type AcsConfig, ConfigError, loadConfig, productionProblems, type ServerLimits } from "./config.ts";
import { configWarnings } from "./config-warnings.ts";
import { createEntraVerifier } from "./entra.ts";
import { serveDocsAssets } from "./docs-assets-node.ts";
import { bufferedLogSink } from "./log-sink.ts";
import { isLoopbackHost } from "./loopback.ts";
import { answerArguments } from "./node-usage.ts";

/** Node entry (`npm start`): configuration from the environment, one ACS client, one app, one server. */

/** One JSON line per request on stdout, written in batches (src/log-sink.ts); what waits is written on exit. */
const { log, flush: flushLog } = bufferedLogSink((text) => process.stdout.write(text));
process.on("exit", flushLog);
const say = (text: string) => process.stderr.write(`${text}\n`);

function fail(reason: string): never {
  say(`acs-identity-connector: ${reason}`);
  process.exit(1);
}

/**
 * Slow and idle clients are cut (README: Limits): Node answers 408 and closes a connection whose headers or whole
 * request are late. It checks those deadlines every connectionsCheckingInterval (30 s by default, which would let a
 * slow client stay up to twice its limit) and cuts at the first check past one, so it is given each limit less one
 * interval: a slow client is cut within its limit, never after it.
 */
function serverOptions(limits: ServerLimits): ServerOptions {
  const interval = Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 20)));
  return {
    headersTimeout: limits.headersTimeoutMs - interval,
    requestTimeout: limits.requestTimeoutMs - interval,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: interval,
  };
}

async function entraCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential();
}

async function main() {
  answerArguments(process.argv.slice(2));
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const problems = productionProblems(config);
  if (problems.length) fail(`refusing to start with NODE_ENV=production: ${problems.join("; ")}.`);

  const closers: (() => Promise<void>)[] = [];
  let acs: AcsConfig;
  const banner: string[] = [];
  if (config.acs) {
    acs = config.acs;
    banner.push(`  ACS: ${acs.endpoint} (${acs.kind === "access-key" ? "access key" : "Microsoft Entra ID"})`);
  } else {
    // Outside production, no ACS configuration means: run on the embedded emulator, and say so loudly.
    const { startEmulator } = await import("./emulator/index.ts");
    const emulator = await startEmulator();
    closers.push(() => emulator.close());
    acs = { kind: "access-key", endpoint: emulator.endpoint, accessKey: emulator.accessKey };
    banner.push(
      "",
      "  ************************************************************************",
      "  *  NO ACS RESOURCE CONFIGURED: running on the embedded ACS emulator.   *",
      "  *  Tokens it issues are NOT valid for Azure Communication Services.    *",
      "  *  Set COMMUNICATION_SERVICES_CONNECTION_STRING to use a real resource.*",
      "  ************************************************************************",
      `  emulator: ${emulator.endpoint}`,
      "",
    );
  }

  let identity;
  try {
    identity = createIdentityClient(acs, {
      timeoutMs: config.acsTimeoutMs,
      ...(acs.kind === "entra" && { credential: await entraCredential() }),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  // Outside production with no caller authentication configured, a key for this run (production refuses to start).
  let apiKeys = config.apiKeys;
  const generatedKey = apiKeys.length === 0 && !config.entra;
  if (generatedKey) {
    const generated = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    apiKeys = [generated];
    banner.push(`  No API_KEYS set: generated this API key for this run (shown once). Send it as X-API-Key:\n\n    ${generated}\n`);
  }

  const { app } = createApp({
    services: { identity },
    apiKeys,
    ...(config.entra && { entra: createEntraVerifier(config.entra) }),
    corsOrigins: config.corsOrigins,
    // Counted in this process: each instance has its own counters (README: Rate limits).
    ...(config.rateLimitPerMinute && { rateLimit: { perMinute: config.rateLimitPerMinute } }),
    log,
    runNotes: { emulator: !config.acs, generatedKey },
  });
  serveDocsAssets(app);

  // On the emulator the service is a developer's sandbox, so it listens on loopback only; configured, it listens on
  // every interface, as a container or App Service needs.
  const hostname = config.host ?? (config.acs ? undefined : "127.0.0.1");
  const server = serve({ fetch: app.fetch, port: config.port, ...(hostname && { hostname }), serverOptions: serverOptions(config.limits) }, (info) => {
    // Printed only once listening: a key shown before a failed start would be one nobody can use, and a start that
    // fails says its one reason alone.
    for (const warning of [...config.warnings, ...configWarnings(process.env, config)]) say(`acs-identity-connector: warning: ${warning}`);
    say(banner.join("\n"));
    // HOST is an address without a port: an IPv6 one is bracketed, so that its last group is not read as a port.
    const reach = !hostname ? "every interface" : isLoopbackHost(hostname.includes(":") ? `[${hostname}]` : hostname) ? "loopback only" : `on ${hostname}`;
    say(`  acs-identity-connector listening on http://localhost:${info.port} (${reach}; API reference: /docs, OpenAPI: /openapi.json)`);
  });
  const otherPort = config.port > 0 && config.port < 65535 ? config.port + 1 : 8081;
  server.on("error", (error: NodeJS.ErrnoException) =>
    fail(
      error.code === "EADDRINUSE"
        ? `port ${config.port} is already in use (another npm start?): stop what holds it, or pick another port, e.g. PORT=${otherPort} npm start.`
        : `cannot listen on port ${config.port}: ${error.message}`,
    ),
  );
  // Past the cap Node closes a new connection at once, keeping file descriptors for the requests being served.
  server.maxConnections = config.limits.maxConnections;

  const stop = () => {
    server.close(
      () =>
        void Promise.all(closers.map((close) => close())).then(
          () => process.exit(0),
          () => process.exit(1),
        ),
    );
    // Keep-alive connections would hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();

import { type ExecutionContext, Hono } from "hono";
import { createIdentityClient } from "./acs/client.ts";
import type { AppEnv } from "./app-env.ts";
import { createApp } from "./app.ts";
import { type Config, ConfigError, type EnvSource, loadConfig, productionProblems } from "./config.ts";
import { createEntraVerifier } from "./entra.ts";
import { ApiError, problemResponse } from "./errors.ts";
import type { RateLimitBinding } from "./middleware/rate-limit.ts";
import { requestContext } from "./middleware/request-context.ts";

/**
 * Cloudflare Workers entry: the same app as on Node, configured from the Worker's bindings (secrets and vars).
 * The ACS client and the app are built on an isolate's first request and reused for every later one.
 */

type Fetch = (request: Request, env: object, ctx?: ExecutionContext) => Response | Promise<Response>;

/** Workers Logs keep what the isolate writes to the console; one JSON line per request, as on Node. */
const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

/** Vars may be JSON values in wrangler.toml; the configuration reads text, as from environment variables. */
function bindingsAsText(env: object): EnvSource {
  const text: EnvSource = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") text[name] = String(value);
  }
  return text;
}

/** The binding's name in wrangler.toml's `[[ratelimits]]`; README: Rate limits. */
const RATE_LIMIT_BINDING = "RATE_LIMITER";

function rateLimitBinding(env: object): RateLimitBinding | undefined {
  const binding = (env as Record<string, unknown>)[RATE_LIMIT_BINDING];
  return typeof (binding as RateLimitBinding | undefined)?.limit === "function" ? (binding as RateLimitBinding) : undefined;
}

/** Why this Worker cannot serve, or nothing. A Worker always runs as production: it has no emulator to fall back on. */
function workerProblems(config: Config, binding: RateLimitBinding | undefined): string[] {
  const problems = productionProblems({ ...config, production: true });
  // The binding's own limit cannot be read from the Worker, and the headers must tell callers the real one.
  if (binding && !config.rateLimitPerMinute)
    problems.push(`${RATE_LIMIT_BINDING} is bound but RATE_LIMIT_PER_MINUTE is not set (set it to the binding's simple.limit)`);
  if (config.acs?.kind === "entra") {
    problems.push(
      "COMMUNICATION_SERVICES_ENDPOINT without COMMUNICATION_SERVICES_ACCESSKEY means Entra ID to ACS, which only the Node build supports " +
        "(set the COMMUNICATION_SERVICES_CONNECTION_STRING secret instead)",
    );
  }
  return problems;
}

function build(env: object): Fetch {
  const config = loadConfig(bindingsAsText(env));
  const binding = rateLimitBinding(env);
  const problems = workerProblems(config, binding);
  if (problems.length) throw new ConfigError(`The Worker is not configured: ${problems.join("; ")}.`);
  const identity = createIdentityClient(config.acs!, { timeoutMs: config.acsTimeoutMs });
  return createApp({
    services: { identity },
    apiKeys: config.apiKeys,
    ...(config.entra && { entra: createEntraVerifier(config.entra) }),
    corsOrigins: config.corsOrigins,
    // Cloudflare's binding where one is bound; otherwise counters in this isolate alone.
    ...(config.rateLimitPerMinute && { rateLimit: { perMinute: config.rateLimitPerMinute, ...(binding && { binding }) } }),
    log,
  }).app.fetch;
}

/**
 * Every request answers 500 with the reason, so the operator sees it at the first call (and in the logs) instead of
 * a Worker that throws. The messages name settings, never their values.
 */
function misconfigured(reason: string): Fetch {
  const app = new Hono<AppEnv>();
  app.use(requestContext(log));
  app.all("*", (c) => problemResponse(c, new ApiError("internal", `${reason} Set secrets with wrangler secret put <NAME> and vars in wrangler.toml.`)));
  return app.fetch;
}

/** Keyed by the bindings object: workerd hands an isolate the same one on every request, so this builds once. */
const apps = new WeakMap<object, Fetch>();

function appFor(env: object): Fetch {
  let fetch = apps.get(env);
  if (!fetch) {
    try {
      fetch = build(env);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "The Worker's configuration could not be read.";
      log({ level: "error", error: "configuration", detail: reason });
      fetch = misconfigured(reason);
    }
    apps.set(env, fetch);
  }
  return fetch;
}

export default {
  fetch: (request: Request, env: object, ctx?: ExecutionContext) => appFor(env)(request, env, ctx),
};

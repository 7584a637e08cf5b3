import { GUID } from "./guid.ts";

/** Configuration from environment variables (README: "Configuration"). Node reads process.env, Workers read bindings. */

export type AcsConfig = { kind: "access-key"; endpoint: string; accessKey: string } | { kind: "entra"; endpoint: string };

export interface Config {
  acs?: AcsConfig;
  /** API_KEYS entries as given (`key` or `name:key`), already checked by parseApiKeys. */
  apiKeys: string[];
  entra?: { tenantId: string; audience: string; requiredRole?: string };
  port: number;
  /** HOST: the address Node listens on; absent, every interface (loopback only on the emulator). */
  host?: string;
  acsTimeoutMs: number;
  /** Requests one caller may make per minute; absent when RATE_LIMIT_PER_MINUTE is unset or 0 (off). */
  rateLimitPerMinute?: number;
  corsOrigins: string[];
  production: boolean;
  /** Said at start, never fatal: a setting that is read but probably not meant as written. */
  warnings: string[];
  /** The Node server's limits on slow and idle clients and on open connections. */
  limits: ServerLimits;
}

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export type EnvSource = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

function integer(env: EnvSource, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

function endpointUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${source} holds an endpoint that is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${source} must hold an https:// endpoint.`);
  }
  return `${url.origin}/`;
}

function accessKey(raw: string, source: string): string {
  const key = raw.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) {
    throw new ConfigError(`${source} holds an access key that is not base64.`);
  }
  return key;
}

/** Parses `endpoint=...;accesskey=...` the way the SDK does (keys case-insensitive), without echoing any of it. */
function parseConnectionString(raw: string): AcsConfig {
  const parts = new Map<string, string>();
  for (const part of raw.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1));
  }
  const endpoint = parts.get("endpoint");
  const key = parts.get("accesskey");
  const name = "COMMUNICATION_SERVICES_CONNECTION_STRING";
  if (!endpoint || !key) throw new ConfigError(`${name} must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<key>.`);
  return { kind: "access-key", endpoint: endpointUrl(endpoint, name), accessKey: accessKey(key, name) };
}

function acsConfig(env: EnvSource): AcsConfig | undefined {
  const connectionString = env.COMMUNICATION_SERVICES_CONNECTION_STRING?.trim();
  const endpoint = env.COMMUNICATION_SERVICES_ENDPOINT?.trim();
  const key = env.COMMUNICATION_SERVICES_ACCESSKEY?.trim();
  if (connectionString && endpoint) {
    throw new ConfigError("Set COMMUNICATION_SERVICES_CONNECTION_STRING or COMMUNICATION_SERVICES_ENDPOINT, not both.");
  }
  if (connectionString) return parseConnectionString(connectionString);
  if (endpoint) {
    const url = endpointUrl(endpoint, "COMMUNICATION_SERVICES_ENDPOINT");
    return key ? { kind: "access-key", endpoint: url, accessKey: accessKey(key, "COMMUNICATION_SERVICES_ACCESSKEY") } : { kind: "entra", endpoint: url };
  }
  if (key) throw new ConfigError("COMMUNICATION_SERVICES_ACCESSKEY needs COMMUNICATION_SERVICES_ENDPOINT.");
  return undefined;
}

function entraConfig(env: EnvSource): Config["entra"] {
  const tenantId = env.ENTRA_TENANT_ID?.trim();
  const audience = env.ENTRA_AUDIENCE?.trim();
  if (!tenantId && !audience && !env.ENTRA_REQUIRED_ROLE?.trim()) return undefined;
  const requiredRole = env.ENTRA_REQUIRED_ROLE?.trim();
  if (!tenantId || !audience) {
    throw new ConfigError(
      `Set both ENTRA_TENANT_ID and ENTRA_AUDIENCE to accept Entra ID bearer tokens${requiredRole ? " (ENTRA_REQUIRED_ROLE needs them)" : ""}.`,
    );
  }
  // The issuer names the tenant by its id, so a domain name (contoso.onmicrosoft.com) could never match.
  if (!GUID.test(tenantId)) {
    throw new ConfigError("ENTRA_TENANT_ID must be the tenant's id (a GUID), not its domain name.");
  }
  return { tenantId, audience, ...(requiredRole && { requiredRole }) };
}

/** A caller's API key and the name that logs and answers show for it, never the key itself. */
export interface NamedKey {
  name: string;
  key: string;
}

const CALLER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Reads API_KEYS entries: `name:key` names its caller, a bare key is named by its position (`key-2` for the second
 * entry). Keys of base64, base64url or hex hold no colon, so the first colon ends the name. Messages point at an
 * entry by its position and never repeat any part of it: what looks like a name may be half of a mistyped key.
 */
export function parseApiKeys(entries: readonly string[]): NamedKey[] {
  const keys = entries.map((entry, i): NamedKey => {
    const at = entry.indexOf(":");
    if (at < 0) return { name: `key-${i + 1}`, key: entry };
    const name = entry.slice(0, at);
    const key = entry.slice(at + 1);
    if (!CALLER_NAME.test(name)) throw new ConfigError(`API_KEYS entry ${i + 1}: the caller name before the colon must be 1 to 32 of A-Z a-z 0-9 _ -.`);
    if (!key) throw new ConfigError(`API_KEYS entry ${i + 1}: no key after the caller name.`);
    return { name, key };
  });
  for (const [what, of] of [
    ["caller name", (k: NamedKey) => k.name],
    ["key", (k: NamedKey) => k.key],
  ] as const) {
    const seen = new Map<string, number>();
    keys.forEach((key, i) => {
      const first = seen.get(of(key));
      if (first !== undefined)
        throw new ConfigError(`API_KEYS entries ${first + 1} and ${i + 1} have the same ${what}: each caller needs its own name and key.`);
      seen.set(of(key), i);
    });
  }
  return keys;
}

/**
 * A browser sends its origin as scheme://host[:port], nothing more; an entry with a path, a trailing slash or a
 * wildcard would never match one, so it is refused at start rather than silently keeping CORS closed.
 */
function corsOrigins(env: EnvSource): string[] {
  return list(env.CORS_ORIGINS).map((origin) => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS entries must be origins like https://app.contoso.com (no path, no trailing slash, no wildcard), not "${origin}".`);
    }
    return origin;
  });
}

const KNOWN_NODE_ENVS = ["production", "development", "test"];

/**
 * `Production`, `PRODUCTION` and ` production` are production: a platform's settings page makes such spellings easy,
 * and reading them as "not production" would quietly drop the production checks.
 */
function nodeEnv(env: EnvSource, warnings: string[]): boolean {
  const value = env.NODE_ENV?.trim().toLowerCase() ?? "";
  if (value && !KNOWN_NODE_ENVS.includes(value)) {
    warnings.push(`NODE_ENV="${env.NODE_ENV!.trim().slice(0, 40)}" is not one of ${KNOWN_NODE_ENVS.join(", ")}: running as not production.`);
  }
  return value === "production";
}

function serverLimits(env: EnvSource): ServerLimits {
  const limits = {
    headersTimeoutMs: integer(env, "HEADERS_TIMEOUT_MS", 20_000, 100, 600_000),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 100, 600_000),
    keepAliveTimeoutMs: integer(env, "KEEP_ALIVE_TIMEOUT_MS", 5_000, 100, 600_000),
    maxConnections: integer(env, "MAX_CONNECTIONS", 512, 1, 1_000_000),
  };
  // Node itself refuses a header deadline past the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError("HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS.");
  }
  return limits;
}

export function loadConfig(env: EnvSource): Config {
  const apiKeys = list(env.API_KEYS);
  parseApiKeys(apiKeys);
  const warnings: string[] = [];
  const config: Config = {
    apiKeys,
    port: integer(env, "PORT", 8080, 0, 65535),
    acsTimeoutMs: integer(env, "ACS_TIMEOUT_MS", 15_000, 100, 600_000),
    corsOrigins: corsOrigins(env),
    production: nodeEnv(env, warnings),
    warnings,
    limits: serverLimits(env),
  };
  const host = env.HOST?.trim();
  if (host) config.host = host;
  const rateLimitPerMinute = integer(env, "RATE_LIMIT_PER_MINUTE", 0, 0, 1_000_000);
  if (rateLimitPerMinute > 0) config.rateLimitPerMinute = rateLimitPerMinute;
  const acs = acsConfig(env);
  if (acs) config.acs = acs;
  const entra = entraConfig(env);
  if (entra) config.entra = entra;
  return config;
}

/** A key anyone could guess protects nothing; outside production short keys stay allowed for trying things out. */
export const MIN_PRODUCTION_KEY_LENGTH = 16;

/** The reasons a production instance must not start (README: "Configuration", NODE_ENV=production). */
export function productionProblems(config: Config): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (!config.acs) problems.push("no ACS configuration (set COMMUNICATION_SERVICES_CONNECTION_STRING or COMMUNICATION_SERVICES_ENDPOINT)");
  if (config.apiKeys.length === 0 && !config.entra) problems.push("no caller authentication (set API_KEYS or ENTRA_TENANT_ID and ENTRA_AUDIENCE)");
  if (parseApiKeys(config.apiKeys).some(({ key }) => key.length < MIN_PRODUCTION_KEY_LENGTH)) {
    problems.push(`an API key shorter than ${MIN_PRODUCTION_KEY_LENGTH} characters in API_KEYS (make keys with e.g. openssl rand -base64 32)`);
  }
  // Without a role, every app of the tenant that can get a token for the audience would be let in.
  if (config.entra && !config.entra.requiredRole) {
    problems.push("Entra ID callers without ENTRA_REQUIRED_ROLE (set it to the app role or scope callers must hold)");
  }
  return problems;
}

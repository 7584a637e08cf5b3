import { GUID } from "./guid.ts";

/** Configuration from environment variables (DESIGN: Configuration). Node reads process.env, Workers read bindings. */

export type AcsConfig =
  | { kind: "access-key"; endpoint: string; accessKey: string }
  | { kind: "entra"; endpoint: string };

export interface Config {
  acs?: AcsConfig;
  apiKeys: string[];
  entra?: { tenantId: string; audience: string; requiredRole?: string };
  port: number;
  acsTimeoutMs: number;
  corsOrigins: string[];
  production: boolean;
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
  return url.origin + "/";
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
    return key
      ? { kind: "access-key", endpoint: url, accessKey: accessKey(key, "COMMUNICATION_SERVICES_ACCESSKEY") }
      : { kind: "entra", endpoint: url };
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
    throw new ConfigError(`Set both ENTRA_TENANT_ID and ENTRA_AUDIENCE to accept Entra ID bearer tokens${requiredRole ? " (ENTRA_REQUIRED_ROLE needs them)" : ""}.`);
  }
  // The issuer names the tenant by its id, so a domain name (contoso.onmicrosoft.com) could never match.
  if (!GUID.test(tenantId)) {
    throw new ConfigError("ENTRA_TENANT_ID must be the tenant's id (a GUID), not its domain name.");
  }
  return { tenantId, audience, ...(requiredRole && { requiredRole }) };
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

export function loadConfig(env: EnvSource): Config {
  const config: Config = {
    apiKeys: list(env.API_KEYS),
    port: integer(env, "PORT", 8080, 0, 65535),
    acsTimeoutMs: integer(env, "ACS_TIMEOUT_MS", 15_000, 100, 600_000),
    corsOrigins: corsOrigins(env),
    production: env.NODE_ENV === "production",
  };
  const acs = acsConfig(env);
  if (acs) config.acs = acs;
  const entra = entraConfig(env);
  if (entra) config.entra = entra;
  return config;
}

/** A key anyone could guess protects nothing; outside production short keys stay allowed for trying things out. */
export const MIN_PRODUCTION_KEY_LENGTH = 16;

/** The reasons a production instance must not start (DESIGN: NODE_ENV=production). */
export function productionProblems(config: Config): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (!config.acs) problems.push("no ACS configuration (set COMMUNICATION_SERVICES_CONNECTION_STRING or COMMUNICATION_SERVICES_ENDPOINT)");
  if (config.apiKeys.length === 0 && !config.entra) problems.push("no caller authentication (set API_KEYS or ENTRA_TENANT_ID and ENTRA_AUDIENCE)");
  if (config.apiKeys.some((key) => key.length < MIN_PRODUCTION_KEY_LENGTH)) {
    problems.push(`an API key shorter than ${MIN_PRODUCTION_KEY_LENGTH} characters in API_KEYS (make keys with e.g. openssl rand -base64 32)`);
  }
  return problems;
}

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { type ConnectorAuth, connectorDefinition, withHost } from "../swagger2/definition.ts";
import { validHost } from "../swagger2/host.ts";
import { isLoopbackHost } from "../loopback.ts";
import { ApiError } from "../errors.ts";

/**
 * GET /swagger.json: the connector definition for "Import from URL" and Logic Apps' HTTP + Swagger action, pointing at
 * the host the caller reached. Converted once here, at start; a request only sets host and schemes. Kept out of the
 * OpenAPI document (plain app.get), like /openapi.json. A host that is not a valid host name with an optional port is
 * refused with 400 rather than replaced: a definition silently pointing elsewhere would fail later and less clearly.
 * `auth` picks the connection the definition declares: the API key, or signing in with Entra ID (OAuth 2.0).
 */
/** A deployment is reached by a host name or two: their definitions are kept serialised, a few at most (Host is the caller's to choose). */
const CACHED_HOSTS = 8;

export function registerSwaggerDefinition(app: OpenAPIHono<AppEnv>, openapi: Record<string, any>, auth: ConnectorAuth) {
  const definition = connectorDefinition(openapi, { auth });
  const serialised = new Map<string, string>();
  const serialise = (host: string, schemes: string[]) => {
    const key = `${schemes[0]}://${host}`;
    let text = serialised.get(key);
    if (text === undefined) {
      text = JSON.stringify(withHost(definition, host, schemes));
      if (serialised.size >= CACHED_HOSTS) serialised.delete(serialised.keys().next().value!);
      serialised.set(key, text);
    }
    return text;
  };
  app.get("/swagger.json", (c) => {
    const forwarded = c.req.header("x-forwarded-host")?.split(",")[0];
    const host = validHost(forwarded ?? c.req.header("host") ?? new URL(c.req.url).host);
    if (!host) {
      throw new ApiError("validation_failed", `The ${forwarded === undefined ? "Host" : "X-Forwarded-Host"} header is not a valid host name with an optional port.`);
    }
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
    // Connectors call over https; plain http only for a local test through a proxy on this machine.
    const schemes = proto === "http" && isLoopbackHost(host) ? ["http"] : ["https"];
    c.header("Vary", "Host, X-Forwarded-Host, X-Forwarded-Proto");
    return c.body(serialise(host, schemes), 200, { "Content-Type": "application/json" });
  });
}

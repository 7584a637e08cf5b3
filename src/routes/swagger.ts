import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { type ConnectorAuth, connectorDefinition, withHost } from "../swagger2/definition.ts";
import { requestHost } from "../swagger2/host.ts";
import type { OpenApiDocument } from "../swagger2/types.ts";
import { answer } from "../response-headers.ts";
import { once } from "../once.ts";

/**
 * GET /swagger.json: the connector definition for "Import from URL" and Logic Apps' HTTP + Swagger action, pointing at
 * the host the caller reached. Converted once, at the first request for it; later ones only set host and schemes. Kept out of the
 * OpenAPI document (plain app.get), like /openapi.json. A host that is not a valid host name with an optional port is
 * refused with 400 rather than replaced: a definition silently pointing elsewhere would fail later and less clearly.
 * `auth` picks the connection the definition declares: the API key, or signing in with Entra ID (OAuth 2.0).
 *
 * Readable from any origin, without credentials: Logic Apps' HTTP + Swagger action fetches it from the maker's
 * browser, and it holds nothing secret. Never cached: its host follows the request.
 */

/** A deployment is reached by a host name or two: their definitions are kept serialised, a few at most (Host is the caller's to choose). */
const CACHED_HOSTS = 8;

/** Readable from any origin, without credentials: the documents hold nothing secret. */
export const PUBLIC_DOCUMENT_HEADERS = { "Access-Control-Allow-Origin": "*" } as const;
/** Its host follows the request, so no cache may keep an answer of /swagger.json, a refusal included. */
const NOT_STORED = { "Cache-Control": "no-store" } as const;

export function registerSwaggerDefinition(app: OpenAPIHono<AppEnv>, openapi: () => OpenApiDocument, auth: ConnectorAuth) {
  const definition = once(() => connectorDefinition(openapi(), { auth }));
  const serialised = new Map<string, string>();
  const serialise = (host: string, schemes: string[]) => {
    const key = `${schemes[0]}://${host}`;
    let text = serialised.get(key);
    if (text === undefined) {
      text = JSON.stringify(withHost(definition(), host, schemes));
      if (serialised.size >= CACHED_HOSTS) serialised.delete(serialised.keys().next().value!);
      serialised.set(key, text);
    }
    return text;
  };
  app.get("/swagger.json", (c) => {
    const where = requestHost((name) => c.req.header(name), new URL(c.req.url).host);
    if ("refused" in where) {
      // Readable from any origin like the definition itself, so the HTTP + Swagger action can show why.
      throw new ApiError("validation_failed", `The ${where.refused} header is not a valid host name with an optional port.`, {
        headers: { ...PUBLIC_DOCUMENT_HEADERS, ...NOT_STORED },
      });
    }
    return answer(c, serialise(where.host, where.schemes), 200, "application/json", {
      ...PUBLIC_DOCUMENT_HEADERS,
      ...NOT_STORED,
      Vary: "Host, X-Forwarded-Host, X-Forwarded-Proto",
    });
  });
}

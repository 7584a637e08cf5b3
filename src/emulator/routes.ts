// Routing of ACS requests (already authenticated) to the operations, with the api-version check.
import type { EmulatorContext } from "./context.ts";
import { acsError, identityNotOwned, notFound, validationError, type Reply } from "./errors.ts";
import { createIdentity, deleteIdentity, getIdentity, issueAccessToken, revokeAccessTokens } from "./identity.ts";
import { exchangeTeamsToken } from "./teams.ts";
import { hasResource, supportedVersions, VERSIONS, type Resource, type VersionFeatures } from "./versions.ts";

export interface AcsRequest {
  method: string;
  /** Percent-encoded path as received, no query. */
  path: string;
  query: string;
  /** "http://host:port" as the client addressed the emulator. */
  origin: string;
  body: Buffer;
}

type Route = { op: "create" } | { op: "exchange" } | { op: "get" | "issue" | "revoke" | "delete"; rawId: string };

function match(method: string, path: string): Route | undefined {
  const segments = path.split("/").slice(1);
  if (segments.length > 1 && segments.at(-1) === "") segments.pop(); // tolerate one trailing slash
  // Literal segments compare case-insensitively, as ASP.NET routing does; the id keeps its case.
  const [first = "", second, third] = segments.map((segment) => segment.toLowerCase());
  if (first === "identities") {
    if (segments.length === 1 && method === "POST") return { op: "create" };
    const rawId = segments[1];
    if (second === undefined || rawId === undefined || rawId === "") return undefined;
    if (segments.length === 2 && method === "DELETE") return { op: "delete", rawId };
    if (segments.length === 2 && method === "GET") return { op: "get", rawId };
    if (segments.length === 3 && method === "POST" && third === ":issueaccesstoken") return { op: "issue", rawId };
    if (segments.length === 3 && method === "POST" && third === ":revokeaccesstokens") return { op: "revoke", rawId };
    return undefined;
  }
  if (first === "teamsuser" && segments.length === 2 && second === ":exchangeaccesstoken" && method === "POST") {
    return { op: "exchange" };
  }
  return undefined;
}

/** Whether the version has the operation at all: the Teams exchange and GET of an identity came later. */
function versionHas(features: VersionFeatures, route: Route): boolean {
  if (route.op === "exchange") return hasResource(features, "teamsUser");
  if (route.op === "get") return features.customId !== false;
  return true;
}

/**
 * api-version is required and must be one the resource has. Codes and messages are those of ASP.NET API
 * versioning, which ACS uses: a user's report of an old SDK shows 400 `UnsupportedApiVersion`
 * "The HTTP resource that matches the request URI '...' does not support the API version '...'."
 * (github.com/Azure/Communication/issues/159; Azure-Samples/communication-services-web-calling-tutorial#8, whose
 * request to `/identities?api-version=2020-07-20-preview2` was answered with the URI `https://52.168.169.1/identities`:
 * the path without its query, after a host of ACS's own, for which the emulator gives its origin).
 */
function checkApiVersion(request: AcsRequest, route: Route): { features: VersionFeatures } | { reply: Reply } {
  const versions = new URLSearchParams(request.query).getAll("api-version");
  if (versions.length === 0) {
    return { reply: acsError(400, "ApiVersionUnspecified", "An API version is required, but was not specified.") };
  }
  if (new Set(versions).size > 1) {
    return {
      reply: acsError(
        400,
        "AmbiguousApiVersion",
        `The following API versions were requested: ${versions.join(", ")}. At most, only a single API version may be specified.`,
      ),
    };
  }
  const [version = ""] = versions;
  const features = VERSIONS.get(version);
  if (!features || !versionHas(features, route)) {
    const message = `The HTTP resource that matches the request URI '${request.origin}${request.path}' does not support the API version '${version}'.`;
    return { reply: acsError(400, "UnsupportedApiVersion", message) };
  }
  return { features };
}

type Body = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; reply: Reply };

/** An empty body or JSON `null` counts as absent; anything else must be a JSON object. */
function parseBody(body: Buffer): Body {
  const text = body.toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // ASSUMPTION: not recorded; a model-binding failure in ASP.NET is a 400 naming the body.
    return { ok: false, reply: validationError("The request body is not valid JSON.", "body") };
  }
  if (value === null) return { ok: true, value: undefined };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reply: validationError("The request body must be a JSON object.", "body") };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function decodeId(rawId: string): string | undefined {
  try {
    return decodeURIComponent(rawId);
  } catch {
    return undefined;
  }
}

function answer(ctx: EmulatorContext, request: AcsRequest, route: Route, features: VersionFeatures): Reply {
  if (route.op === "create" || route.op === "exchange" || route.op === "issue") {
    const body = parseBody(request.body);
    if (!body.ok) return body.reply;
    if (route.op === "create") return createIdentity(ctx, features, body.value);
    if (route.op === "exchange") return exchangeTeamsToken(ctx, features, body.value);
    const id = decodeId(route.rawId);
    return id === undefined ? identityNotOwned() : issueAccessToken(ctx, features, id, body.value);
  }
  const id = decodeId(route.rawId);
  if (id === undefined) return identityNotOwned();
  if (route.op === "get") return getIdentity(ctx, features, id);
  return route.op === "revoke" ? revokeAccessTokens(ctx, id) : deleteIdentity(ctx, id);
}

export function routeAcs(ctx: EmulatorContext, request: AcsRequest): Reply {
  const route = match(request.method, request.path);
  // ASSUMPTION: an unknown route is a bare 404 with no versions header (nothing recorded).
  if (!route) return notFound();
  const resource: Resource = route.op === "exchange" ? "teamsUser" : "identities";
  const checked = checkApiVersion(request, route);
  const reply = "reply" in checked ? checked.reply : answer(ctx, request, route, checked.features);
  if (!reply.withoutVersions) reply.headers = { "api-supported-versions": supportedVersions(resource), ...reply.headers };
  return reply;
}

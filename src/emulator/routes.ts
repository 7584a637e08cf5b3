// Routing of ACS requests (already authenticated) to the operations, with the api-version check.
import type { EmulatorContext } from "./context.ts";
import { acsError, identityNotFound, notFound, validationError, type Reply } from "./errors.ts";
import { createIdentity, deleteIdentity, issueAccessToken, revokeAccessTokens } from "./identity.ts";
import { exchangeTeamsToken } from "./teams.ts";

export const API_VERSION = "2023-10-01";

export interface AcsRequest {
  method: string;
  /** Percent-encoded path as received, no query. */
  path: string;
  query: string;
  host: string;
  body: Buffer;
}

type Route =
  | { op: "create" }
  | { op: "exchange" }
  | { op: "issue"; rawId: string }
  | { op: "revoke"; rawId: string }
  | { op: "delete"; rawId: string };

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
    if (segments.length === 3 && method === "POST" && third === ":issueaccesstoken") return { op: "issue", rawId };
    if (segments.length === 3 && method === "POST" && third === ":revokeaccesstokens") return { op: "revoke", rawId };
    return undefined;
  }
  if (first === "teamsuser" && segments.length === 2 && second === ":exchangeaccesstoken" && method === "POST") {
    return { op: "exchange" };
  }
  return undefined;
}

/**
 * api-version is required and must be the one emulated. Codes and messages are those of ASP.NET API
 * versioning, which ACS uses: a user's report of an old SDK shows 400 `UnsupportedApiVersion`
 * "The HTTP resource that matches the request URI '...' does not support the API version '...'."
 * (github.com/Azure/Communication/issues/159). The real service also accepts older versions
 * (2021-03-07, 2022-06-01, ...); the emulator knows only the 2023-10-01 contract, so it refuses them.
 */
function checkApiVersion(request: AcsRequest): Reply | undefined {
  const versions = new URLSearchParams(request.query).getAll("api-version");
  if (versions.length === 0) {
    return acsError(400, "ApiVersionUnspecified", "An API version is required, but was not specified.");
  }
  if (new Set(versions).size > 1) {
    return acsError(400, "AmbiguousApiVersion", `The following API versions were requested: ${versions.join(", ")}. At most, only a single API version may be specified.`);
  }
  if (versions[0] !== API_VERSION) {
    return acsError(
      400,
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI 'http://${request.host}${request.path}' does not support the API version '${versions[0]}'.`,
    );
  }
  return undefined;
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
    // ASSUMPTION: not documented; a model-binding failure in ASP.NET is a 400 naming the body.
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

export function routeAcs(ctx: EmulatorContext, request: AcsRequest): Reply {
  const route = match(request.method, request.path);
  if (!route) return notFound();
  const versionProblem = checkApiVersion(request);
  if (versionProblem) return versionProblem;

  if (route.op === "revoke" || route.op === "delete") {
    const id = decodeId(route.rawId);
    if (id === undefined) return identityNotFound();
    return route.op === "revoke" ? revokeAccessTokens(ctx, id) : deleteIdentity(ctx, id);
  }

  const body = parseBody(request.body);
  if (!body.ok) return body.reply;
  if (route.op === "create") return createIdentity(ctx, body.value);
  if (route.op === "exchange") return exchangeTeamsToken(ctx, body.value);
  const id = decodeId(route.rawId);
  if (id === undefined) return identityNotFound();
  return issueAccessToken(ctx, id, body.value);
}

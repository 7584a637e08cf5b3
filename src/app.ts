import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Logger, Services } from "./app-env.ts";
import { authenticate } from "./middleware/auth.ts";
import type { EntraVerifier } from "./entra.ts";
import { ApiError, type FieldError, problemResponse, toApiError } from "./errors.ts";
import { abortedResponse, ClientAborted } from "./middleware/client-abort.ts";
import { corsPolicy, securityHeaders } from "./middleware/hardening.ts";
import { jsonBody, limitBody } from "./middleware/json-body.ts";
import { bindingLimiter, type RateLimitBinding, rateLimit, windowLimiter } from "./middleware/rate-limit.ts";
import { methodNotAllowed } from "./middleware/method-not-allowed.ts";
import { requestContext } from "./middleware/request-context.ts";
import { closeOnUnreadBody } from "./middleware/unread-body.ts";
import { buildOpenApiDocument, registerSecuritySchemes } from "./openapi.ts";
import { registerCreateUser } from "./routes/create-user.ts";
import { registerDeleteUser } from "./routes/delete-user.ts";
import { registerDocs } from "./routes/docs.ts";
import { registerExchangeTeamsToken } from "./routes/exchange-teams-token.ts";
import { registerHealth } from "./routes/health.ts";
import { registerIssueAccessToken } from "./routes/issue-access-token.ts";
import { registerListScopes } from "./routes/list-scopes.ts";
import { registerRevokeAccessTokens } from "./routes/revoke-access-tokens.ts";
import { PUBLIC_DOCUMENT_HEADERS, registerSwaggerDefinition } from "./routes/swagger.ts";
import { registerTestConnection } from "./routes/test-connection.ts";
import { type RunNotes, withRunNotes } from "./run-notes.ts";
import { answer, withResponseHeaders } from "./response-headers.ts";
import { once } from "./once.ts";

export interface AppDeps {
  services: Services;
  apiKeys: readonly string[];
  /** Accepts Entra ID bearer tokens too; built from config by the entries, from a local key set by tests. */
  entra?: EntraVerifier;
  /** Browser origins allowed by CORS; none by default. */
  corsOrigins?: readonly string[];
  /** RATE_LIMIT_PER_MINUTE, counted in this process unless the Worker has Cloudflare's binding; off when absent. */
  rateLimit?: { perMinute: number; binding?: RateLimitBinding };
  log: Logger;
  /** What this run's /openapi.json and /docs say about it (the emulator, a generated key). */
  runNotes?: RunNotes;
}

/** `scopes[1]`, `expiresInMinutes`, `userId`: the names a caller used, so the message points at their own input. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("") || "body";
}

/** A 400 lists this many field problems and counts the rest, so 4,000 bad scopes do not make a 400 of 400 KiB. */
const MAX_LISTED_PROBLEMS = 10;
/** An unknown field's name is the caller's text; a long one is cut in the answer. */
const MAX_PATH_LENGTH = 100;

const shortPath = (path: string) => (path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}...` : path);

/** Every route's validation failure becomes one 400 problem listing the first field problems and counting the rest. */
function validationHook(result: {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[] };
}) {
  if (result.success || !result.error) return;
  const problems: FieldError[] = result.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" && issue.keys
      ? issue.keys.map((key) => ({ path: shortPath(fieldPath([...issue.path, key])), message: "Unknown field: this action does not take it." }))
      : [{ path: shortPath(fieldPath(issue.path)), message: issue.message }],
  );
  const errors = problems.slice(0, MAX_LISTED_PROBLEMS);
  const unlisted = problems.length - errors.length;
  const summary = errors.map((error) => `${error.path}: ${error.message}`).join(" ");
  const more = unlisted ? ` And ${unlisted} more problem${unlisted === 1 ? "" : "s"} not listed.` : "";
  throw new ApiError("validation_failed", `The request is not valid. ${summary}${more}`, { errors });
}

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // Filled from the route definitions once they are registered: the log line's `action` comes from them alone.
  const actions = new Map<string, string>();
  app.use(requestContext(deps.log, actions), withResponseHeaders, closeOnUnreadBody, securityHeaders);
  // No CORS middleware at all when no origin is allowed: closed costs nothing per request.
  if (deps.corsOrigins?.length) app.use(corsPolicy(deps.corsOrigins));
  app.use((c, next) => {
    c.set("services", deps.services);
    return next();
  });
  // The checks' order (README: "Errors"): authentication (401), the caller's rate limit (429), the method (405), body
  // size (413), content type (415), validation (400).
  app.use("/v1/*", authenticate({ apiKeys: deps.apiKeys, ...(deps.entra && { entra: deps.entra }) }));
  if (deps.rateLimit) {
    const { perMinute, binding } = deps.rateLimit;
    app.use("/v1/*", rateLimit(perMinute, binding ? bindingLimiter(binding) : windowLimiter(perMinute)));
  }
  // A known path with another method is 405 before its body is looked at: the method is the first thing to fix.
  let firstRoute = 0;
  app.use(methodNotAllowed(() => app.routes.slice(firstRoute)));
  // Only POST actions take a body; a DELETE's body, if any, is never read.
  app.on("POST", "/v1/*", limitBody, jsonBody);
  firstRoute = app.routes.length;

  const security = { apiKey: deps.apiKeys.length > 0 || !deps.entra, ...(deps.entra && { entra: deps.entra }) };
  registerSecuritySchemes(app, security);
  registerHealth(app);
  registerCreateUser(app);
  registerIssueAccessToken(app);
  registerRevokeAccessTokens(app);
  registerDeleteUser(app);
  registerExchangeTeamsToken(app);
  registerTestConnection(app);
  registerListScopes(app);

  // The log line's action names come from the route definitions themselves.
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route" || !definition.route.operationId) continue;
    const { method, path, operationId } = definition.route;
    actions.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`, operationId);
  }
  // The OpenAPI document is built when first asked for (/openapi.json, /swagger.json, the connector files), not at
  // start: building it is most of createApp's time (about 50 ms), and no action needs it.
  const openApiDocument = once(() => buildOpenApiDocument(app, security));
  const documentJson = once(() => JSON.stringify(deps.runNotes ? withRunNotes(openApiDocument(), deps.runNotes) : openApiDocument()));
  app.get("/openapi.json", (c) => answer(c, documentJson(), 200, "application/json", PUBLIC_DOCUMENT_HEADERS));
  registerDocs(app);
  // The connector's connection: the API key when keys are on (makers paste one), else signing in with Entra ID.
  registerSwaggerDefinition(app, openApiDocument, security.apiKey ? "api-key" : "entra");

  // The path is not echoed: a caller may have put something secret in it.
  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError("not_found", "No route matches this method and path (paths are case-sensitive, without a trailing slash); /openapi.json lists the routes."),
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ClientAborted) return abortedResponse(c);
    const apiError = toApiError(error);
    if (apiError.code === "internal") {
      // Written by the request's one log line (src/middleware/request-context.ts), not here.
      const cause = apiError.cause instanceof Error ? apiError.cause : undefined;
      const stack = cause?.stack?.split("\n").slice(0, 6).join("\n");
      c.set("failure", { error: cause?.name ?? "unknown", ...(stack !== undefined && { stack }) });
    }
    return problemResponse(c, apiError);
  });
  return {
    app,
    get document() {
      return openApiDocument();
    },
  };
}

import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { PatternRouter } from "hono/router/pattern-router";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";

interface Route {
  method: string;
  path: string;
  handler: unknown;
}

/**
 * 405 with `Allow` for a path the service has, asked with a method it does not take there (`GET /v1/users`): a 404
 * would tell the caller to fix the path, when the method is what is wrong. `routes` gives the app's routes (not its
 * middleware); they are read at the first request, once every route, the Node entry's /docs files included, is on.
 * A request that Hono already matched to one of them goes on at once: only the others pay for the path match.
 */
export function methodNotAllowed(routes: () => readonly Route[]): MiddlewareHandler<AppEnv> {
  let router: PatternRouter<string[]> | undefined;
  let handlers: Set<unknown> | undefined;
  const build = () => {
    const byPath = new Map<string, Set<string>>();
    for (const { method, path } of routes()) {
      // "ALL" is middleware (app.use), not an answer.
      if (method === "ALL") continue;
      const methods = byPath.get(path) ?? byPath.set(path, new Set()).get(path)!;
      methods.add(method);
      // Hono answers HEAD with the GET route.
      if (method === "GET") methods.add("HEAD");
    }
    // One of Hono's routers, so that a path matches here as it would match a route: its smallest, the one the Worker's
    // Hono preset uses too (the app's routes are plain paths with :params, which every Hono router reads alike).
    const built = new PatternRouter<string[]>();
    for (const [path, methods] of byPath) built.add("ALL", path, [...methods]);
    return built;
  };
  return (c, next) => {
    handlers ??= new Set(routes().flatMap((route) => (route.method === "ALL" ? [] : [route.handler])));
    if (matchedRoutes(c).some((route) => handlers!.has(route.handler))) return next();
    // The pattern router takes a trailing slash as optional, where the Node app's router does not: such a path is
    // left to the routes (404 on Node), so that 405 never names a path the app would not answer.
    if (c.req.path.length > 1 && c.req.path.endsWith("/")) return next();
    router ??= build();
    const [matches] = router.match(c.req.method, c.req.path);
    const allowed = [...new Set(matches.flatMap(([methods]) => methods))];
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    const allow = allowed.join(", ");
    throw new ApiError(
      "method_not_allowed",
      `This path does not take ${c.req.method}; it takes ${allow} (the Allow header lists them, /openapi.json describes them).`,
      {
        headers: { Allow: allow },
      },
    );
  };
}

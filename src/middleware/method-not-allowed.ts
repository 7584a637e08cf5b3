import type { MiddlewareHandler } from "hono";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";

interface Route {
  method: string;
  path: string;
}

/**
 * 405 with `Allow` for a path the service has, asked with a method it does not take there (`GET /v1/users`): a 404
 * would tell the caller to fix the path, when the method is what is wrong. `routes` gives the app's routes (not its
 * middleware); they are read at the first request, once every route, the Node entry's /docs files included, is on.
 */
export function methodNotAllowed(routes: () => readonly Route[]): MiddlewareHandler<AppEnv> {
  let router: SmartRouter<string[]> | undefined;
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
    // Hono's own default router, so that a path matches here exactly when it would match a route.
    const built = new SmartRouter<string[]>({ routers: [new RegExpRouter(), new TrieRouter()] });
    for (const [path, methods] of byPath) built.add("ALL", path, [...methods]);
    return built;
  };
  return async (c, next) => {
    router ??= build();
    const [matches] = router.match(c.req.method, c.req.path);
    const allowed = [...new Set(matches.flatMap(([methods]) => methods))];
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    const allow = allowed.join(", ");
    throw new ApiError("method_not_allowed", `This path does not take ${c.req.method}; it takes ${allow} (the Allow header lists them, /openapi.json describes them).`, {
      headers: { Allow: allow },
    });
  };
}

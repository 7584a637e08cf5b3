import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { answerJson } from "../response-headers.ts";

/** Kept out of the OpenAPI document on purpose: it is for load balancers and probes, not an action for makers. */
export function registerHealth(app: OpenAPIHono<AppEnv>) {
  app.get("/health", (c) => answerJson(c, { status: "ok" }, 200));
}

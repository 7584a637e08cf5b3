import { serve } from "@hono/node-server";
import { OpenAPIHono } from "@hono/zod-openapi";
import { createIdentityClient } from "../../src/acs/client.ts";
import type { AppEnv } from "../../src/app-env.ts";
import { loadConfig } from "../../src/config.ts";
import { jsonBody, limitBody } from "../../src/middleware/json-body.ts";
import { registerCreateUser } from "../../src/routes/create-user.ts";
import { registerDeleteUser } from "../../src/routes/delete-user.ts";
import { registerExchangeTeamsToken } from "../../src/routes/exchange-teams-token.ts";
import { registerIssueAccessToken } from "../../src/routes/issue-access-token.ts";
import { registerRevokeAccessTokens } from "../../src/routes/revoke-access-tokens.ts";

/**
 * `npm run bench:layers`' third subject: the service's routes (their zod-openapi definitions, which validate, and
 * their handlers, with the service's ACS client) and the JSON body middleware they rely on, without the rest of the
 * app's middleware (the request context and log line, authentication, security headers, the 405 check, the guards
 * for unread bodies and aborted clients). A request id is still made per request: the handlers hand it to ACS. What the routes cost is this subject minus the Hono one; what the rest costs is the
 * service minus this one.
 */
// The client as the Node entry builds it, from the same environment.
const config = loadConfig(process.env);
if (!config.acs) throw new Error("routes-server needs COMMUNICATION_SERVICES_CONNECTION_STRING");
const identity = createIdentityClient(config.acs, { timeoutMs: config.acsTimeoutMs });
const app = new OpenAPIHono<AppEnv>();
app.use((c, next) => {
  c.set("services", { identity });
  c.set("requestId", crypto.randomUUID());
  return next();
});
app.on("POST", "/v1/*", limitBody, jsonBody);
registerCreateUser(app);
registerIssueAccessToken(app);
registerRevokeAccessTokens(app);
registerDeleteUser(app);
registerExchangeTeamsToken(app);

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stdout.write(`listening on http://127.0.0.1:${info.port}\n`));
process.once("SIGTERM", () => process.exit(0));

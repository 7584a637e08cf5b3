import { serve } from "@hono/node-server";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { Hono } from "hono";

/**
 * `npm run bench:layers`' second subject: the floor's server (scripts/bench/floor-server.js) written with Hono and
 * @hono/node-server, as the service is, and nothing else: the same SDK client and calls, no validation, no
 * middleware. What the framework alone costs is this subject minus the floor.
 */
const client = new CommunicationIdentityClient(String(process.env.COMMUNICATION_SERVICES_CONNECTION_STRING), { allowInsecureConnection: true });

/** @param {import("hono").Context} c */
async function readJson(c) {
  const text = await c.req.text();
  return text ? JSON.parse(text) : {};
}

const app = new Hono();
app.post("/v1/users", async (c) => {
  const { scopes, expiresInMinutes } = await readJson(c);
  if (!scopes) return c.json({ userId: (await client.createUser()).communicationUserId }, 201);
  const r = await client.createUserAndToken(scopes, { tokenExpiresInMinutes: expiresInMinutes });
  return c.json({ userId: r.user.communicationUserId, token: r.token, expiresOn: r.expiresOn.toISOString() }, 201);
});
app.post("/v1/teams/tokens", async (c) => {
  const r = await client.getTokenForTeamsUser(await readJson(c));
  return c.json({ token: r.token, expiresOn: r.expiresOn.toISOString() }, 200);
});
app.post("/v1/users/:userId/tokens", async (c) => {
  const userId = c.req.param("userId");
  const { scopes, expiresInMinutes } = await readJson(c);
  const r = await client.getToken({ communicationUserId: userId }, scopes, { tokenExpiresInMinutes: expiresInMinutes });
  return c.json({ userId, token: r.token, expiresOn: r.expiresOn.toISOString() }, 200);
});
app.delete("/v1/users/:userId/tokens", async (c) => {
  await client.revokeTokens({ communicationUserId: c.req.param("userId") });
  return c.body(null, 204);
});
app.delete("/v1/users/:userId", async (c) => {
  await client.deleteUser({ communicationUserId: c.req.param("userId") });
  return c.body(null, 204);
});

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stdout.write(`listening on http://127.0.0.1:${info.port}\n`));
process.once("SIGTERM", () => process.exit(0));

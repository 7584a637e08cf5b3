import { createServer } from "node:http";
import { CommunicationIdentityClient } from "@azure/communication-identity";

/**
 * The floor for any server in front of ACS (subject (b) of `npm run bench`): node:http and one shared SDK client,
 * with no validation, no authentication, no logging and no error model. Same paths and bodies as the service.
 * Plain JavaScript, as such a server would be written, so that its start-up strips no types.
 */
const client = new CommunicationIdentityClient(String(process.env.COMMUNICATION_SERVICES_CONNECTION_STRING), { allowInsecureConnection: true });

/** @param {import("node:http").IncomingMessage} req */
async function readJson(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const USER = /^\/v1\/users\/([^/]+)(\/tokens)?$/;

const server = createServer(async (req, res) => {
  /** @param {number} status @param {unknown} [body] */
  const send = (status, body) => {
    res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  try {
    const match = USER.exec(req.url ?? "");
    if (req.url === "/v1/users" && req.method === "POST") {
      const { scopes, expiresInMinutes } = await readJson(req);
      if (!scopes) return send(201, { userId: (await client.createUser()).communicationUserId });
      const r = await client.createUserAndToken(scopes, { tokenExpiresInMinutes: expiresInMinutes });
      return send(201, { userId: r.user.communicationUserId, token: r.token, expiresOn: r.expiresOn.toISOString() });
    }
    if (req.url === "/v1/teams/tokens" && req.method === "POST") {
      const r = await client.getTokenForTeamsUser(await readJson(req));
      return send(200, { token: r.token, expiresOn: r.expiresOn.toISOString() });
    }
    if (match) {
      const user = { communicationUserId: decodeURIComponent(String(match[1])) };
      if (match[2] && req.method === "POST") {
        const { scopes, expiresInMinutes } = await readJson(req);
        const r = await client.getToken(user, scopes, { tokenExpiresInMinutes: expiresInMinutes });
        return send(200, { userId: user.communicationUserId, token: r.token, expiresOn: r.expiresOn.toISOString() });
      }
      if (match[2] && req.method === "DELETE") return send(204, void (await client.revokeTokens(user)));
      if (req.method === "DELETE") return send(204, void (await client.deleteUser(user)));
    }
    send(404, {});
  } catch (error) {
    send(/** @type {{ statusCode?: number }} */ (error).statusCode ?? 500, {});
  }
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));

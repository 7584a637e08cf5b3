import autocannon from "autocannon";
/**
 * The six calls `npm run bench` drives, each as the HTTP request autocannon sends to the floor server and to the
 * service alike (same paths, headers and bodies).
 */
export interface Users {
  /** Users that Issue and Revoke rotate through. */
  pool: string[];
  /** One fresh user per Delete request. */
  toDelete: string[];
}

export interface Action {
  name: string;
  method: "POST" | "DELETE";
  path: (i: number, users: Users) => string;
  body?: string;
}

const TEAMS = {
  clientId: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b",
  userObjectId: "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f",
};

/** A Teams token the emulator accepts (it judges claims only), valid for a day. */
export function teamsBody() {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = { appid: TEAMS.clientId, oid: TEAMS.userObjectId, tid: "72f988bf-86f1-41af-91ab-2d7cd011db47", exp: Math.floor(Date.now() / 1000) + 86_400 };
  return { teamsUserAadToken: `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2ln`, ...TEAMS };
}

const pick = (i: number, users: Users) => users.pool[i % users.pool.length]!;
const userPath = (id: string) => `/v1/users/${encodeURIComponent(id)}`;

export const ACTIONS: Action[] = [
  { name: "create", method: "POST", path: () => "/v1/users" },
  { name: "create+token", method: "POST", path: () => "/v1/users", body: JSON.stringify({ scopes: ["chat"] }) },
  { name: "issue", method: "POST", path: (i, u) => `${userPath(pick(i, u))}/tokens`, body: JSON.stringify({ scopes: ["chat", "voip"], expiresInMinutes: 60 }) },
  { name: "revoke", method: "DELETE", path: (i, u) => `${userPath(pick(i, u))}/tokens` },
  { name: "delete", method: "DELETE", path: (i, u) => userPath(u.toDelete[i]!) },
  { name: "teams", method: "POST", path: () => "/v1/teams/tokens", body: JSON.stringify(teamsBody()) },
];

export const ACTION_NAMES = ACTIONS.map((a) => a.name);

/** `create,issue` from a command line as actions; an unknown name goes to `fail` with the known ones. */
export function pickActions(list: string, fail: (message: string) => never): Action[] {
  return list.split(",").map((name) => ACTIONS.find((a) => a.name === name) ?? fail(`unknown action "${name}"; known: ${ACTION_NAMES.join(", ")}`));
}

/** One action as an autocannon run: `amount` requests at `connections`, each with the next path of the action. */
export function loadAction(base: string, action: Action, users: Users, options: { apiKey: string; connections: number; amount: number }) {
  let i = 0;
  const headers: Record<string, string> = { "x-api-key": options.apiKey, ...(action.body && { "content-type": "application/json" }) };
  return autocannon({
    url: base,
    connections: options.connections,
    amount: options.amount,
    requests: [
      {
        method: action.method,
        path: action.path(0, users),
        headers,
        ...(action.body && { body: action.body }),
        setupRequest: (req: any) => ({ ...req, path: action.path(i++, users) }),
      },
    ],
  });
}

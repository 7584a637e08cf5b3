// JWT helpers for the emulator tests: decode ACS tokens, craft unsigned Teams (Entra) tokens.

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = "", payload = ""] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>,
  };
}

export const TEAMS_APP_ID = "11111111-2222-3333-4444-555555555555";
export const TEAMS_USER_OID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const TEAMS_TENANT = "99999999-8888-7777-6666-555555555555";

/** A Teams user's Entra access token as far as the emulator looks at it (the signature is not checked). */
export function teamsToken(overrides: Record<string, unknown> = {}, lifetimeSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: "https://auth.msft.communication.azure.com",
    iss: `https://sts.windows.net/${TEAMS_TENANT}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    appid: TEAMS_APP_ID,
    oid: TEAMS_USER_OID,
    tid: TEAMS_TENANT,
    scp: "Teams.ManageCalls Teams.ManageChats",
    ...overrides,
  };
  return `${segment({ alg: "RS256", typ: "JWT", kid: "test" })}.${segment(claims)}.c2lnbmF0dXJl`;
}

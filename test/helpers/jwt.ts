// JWTs for tests: decode the ACS tokens the service hands out, build unsigned or hand-signed ones (jose refuses
// `alg: none`), and craft the Teams users' Entra ID tokens that the emulator judges by their claims alone.

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, any> } {
  const [header = "", payload = ""] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(payload, "base64url").toString("utf8")),
  };
}

/** A token built by hand; a claim set to `undefined` is left out. */
export function handMadeToken(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ""): string {
  return `${part(header)}.${part(claims)}.${signature}`;
}

export const TEAMS_APP_ID = "11111111-2222-3333-4444-555555555555";
export const TEAMS_USER_OID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const TEAMS_TENANT = "99999999-8888-7777-6666-555555555555";

/**
 * A Teams user's Entra ID access token as far as the emulator looks at it (the signature part is not checked):
 * valid for `lifetimeSeconds`, with the claims given overriding the defaults (`undefined` removes one).
 */
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
  return handMadeToken({ alg: "RS256", typ: "JWT", kid: "test" }, claims, "c2lnbmF0dXJl");
}

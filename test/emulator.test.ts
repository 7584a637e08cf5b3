// The emulator driven by the real @azure/communication-identity client, as the service drives it.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { decodeJwt, TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "./helpers/jwt.ts";

let emulator: RunningEmulator;
let client: CommunicationIdentityClient;

async function verify(token: string): Promise<{ valid: boolean; reason?: string; userId?: string; scopes?: string[] }> {
  const response = await fetch(new URL("_emulator/verify", emulator.endpoint), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { valid: boolean; reason?: string };
}

/** Runs `call`, which must fail, and returns the SDK's RestError. */
async function failure(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = new CommunicationIdentityClient(emulator.connectionString, { allowInsecureConnection: true });
});

afterAll(async () => {
  await emulator.close();
});

describe("emulator: interface", () => {
  it("serves on loopback with a connection string the SDK accepts", () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}/`);
    expect(emulator.connectionString).toBe(`endpoint=${emulator.endpoint};accesskey=${emulator.accessKey}`);
    expect(Buffer.from(emulator.accessKey, "base64")).toHaveLength(32);
  });

  it("derives a stable resource id from the access key", async () => {
    const again = await startEmulator({ accessKey: emulator.accessKey });
    const other = await startEmulator();
    try {
      expect(again.resourceId).toBe(emulator.resourceId);
      expect(other.resourceId).not.toBe(emulator.resourceId);
      expect(emulator.resourceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it("refuses an access key that is not base64", async () => {
    await expect(startEmulator({ accessKey: "not base64!" })).rejects.toThrow(/base64/);
  });
});

describe("emulator: users and tokens through the SDK", () => {
  it("creates users with ids shaped like real ones", async () => {
    const first = await client.createUser();
    const second = await client.createUser();
    const idPattern = new RegExp(`^8:acs:${emulator.resourceId}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
    expect(first.communicationUserId).toMatch(idPattern);
    expect(second.communicationUserId).toMatch(idPattern);
    expect(second.communicationUserId).not.toBe(first.communicationUserId);
  });

  it("creates a user with a token whose claims look like ACS's and whose exp is expiresOn", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { user, token, expiresOn } = await client.createUserAndToken(["chat", "voip"]);
    const { header, payload } = decodeJwt(token);
    expect(token.split(".")).toHaveLength(3);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(typeof header.kid).toBe("string");
    expect(payload).toMatchObject({
      skypeid: user.communicationUserId.slice(2),
      scp: 1792,
      acsScope: "chat,voip",
      resourceId: emulator.resourceId,
    });
    const iat = payload.iat as number;
    expect(payload.csi).toBe(String(iat));
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe(iat + 1440 * 60); // the default lifetime is 24 hours
    expect(expiresOn).toBeInstanceOf(Date);
    expect(expiresOn.getTime()).toBe((payload.exp as number) * 1000);
    expect(await verify(token)).toMatchObject({ valid: true, userId: user.communicationUserId, scopes: ["chat", "voip"] });
  });

  it("creates a user with a token of a custom lifetime", async () => {
    const { token, expiresOn } = await client.createUserAndToken(["voip"], { tokenExpiresInMinutes: 60 });
    const { payload } = decodeJwt(token);
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
    expect(expiresOn.getTime()).toBe((payload.exp as number) * 1000);
  });

  it("issues tokens with and without tokenExpiresInMinutes", async () => {
    const user = await client.createUser();
    for (const minutes of [60, 90, 1440]) {
      const { token, expiresOn } = await client.getToken(user, ["chat"], { tokenExpiresInMinutes: minutes });
      const { payload } = decodeJwt(token);
      expect((payload.exp as number) - (payload.iat as number)).toBe(minutes * 60);
      expect(expiresOn.getTime()).toBe((payload.exp as number) * 1000);
    }
    const { token } = await client.getToken(user, ["chat.join", "chat.join.limited", "voip.join"]);
    const { payload } = decodeJwt(token);
    expect((payload.exp as number) - (payload.iat as number)).toBe(1440 * 60);
    expect(payload.acsScope).toBe("chat.join,chat.join.limited,voip.join");
  });

  it("revokes every earlier token, even from the same second, and keeps later ones valid", async () => {
    const user = await client.createUser();
    const first = await client.getToken(user, ["chat"]);
    const second = await client.getToken(user, ["voip"]);
    await client.revokeTokens(user);
    const after = await client.getToken(user, ["chat"]);
    expect(await verify(first.token)).toEqual({ valid: false, reason: "revoked" });
    expect(await verify(second.token)).toEqual({ valid: false, reason: "revoked" });
    expect(await verify(after.token)).toMatchObject({ valid: true });
    // A token identical in content to a revoked one but issued after the revoke is still told apart.
    expect(after.token).not.toBe(first.token);
  });

  it("deletes a user: its id becomes unusable and its tokens invalid", async () => {
    const { user, token } = await client.createUserAndToken(["chat"]);
    await client.deleteUser(user);
    expect(await verify(token)).toEqual({ valid: false, reason: "user_deleted" });
    for (const call of [client.getToken(user, ["chat"]), client.revokeTokens(user), client.deleteUser(user)]) {
      const error = await failure(call);
      expect(error.statusCode).toBe(401);
      expect(error.code).toBe("IdentityNotOwned");
    }
  });

  it("refuses ids that are not users of this resource with 401 IdentityNotOwned, as recorded", async () => {
    const foreign = { communicationUserId: "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000" };
    for (const user of [foreign, { communicationUserId: "not-an-id" }, { communicationUserId: "8:orgid:abc" }]) {
      for (const call of [client.getToken(user, ["chat"]), client.revokeTokens(user), client.deleteUser(user)]) {
        const error = await failure(call);
        expect(error.statusCode).toBe(401);
        expect(error.code).toBe("IdentityNotOwned");
        expect(error.message).toBe("Provided identity doesn't belong to the resource.");
      }
    }
  });
});

describe("emulator: validation through the SDK", () => {
  it("answers empty scopes with the real message", async () => {
    const user = await client.createUser();
    const error = await failure(client.getToken(user, []));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("ValidationError");
    expect(error.message).toBe("Invalid scopes - Scopes field is required.");
  });

  it("refuses an unknown scope", async () => {
    const user = await client.createUser();
    const error = await failure(client.getToken(user, ["chat", "email" as "chat"]));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("ValidationError");
    expect(error.message).toMatch(/email/);
  });

  it.each([59, 1441, 0, -60])("refuses tokenExpiresInMinutes %i", async (minutes) => {
    const user = await client.createUser();
    const error = await failure(client.getToken(user, ["chat"], { tokenExpiresInMinutes: minutes }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("ValidationError");
    const message = `ExpiresInMinutes value ${minutes} is invalid. Value must be within the [60, 1440] interval.`;
    expect(error.message).toBe(message);
    const created = await failure(client.createUserAndToken(["chat"], { tokenExpiresInMinutes: minutes }));
    expect(created.statusCode).toBe(400);
    expect(created.message).toBe(message);
  });

  it("checks the body before the id", async () => {
    const error = await failure(client.getToken({ communicationUserId: "8:acs:nobody" }, []));
    expect(error.statusCode).toBe(400);
  });
});

describe("emulator: Teams token exchange through the SDK", () => {
  const options = { clientId: TEAMS_APP_ID, userObjectId: TEAMS_USER_OID };

  it("exchanges a Teams user's token for an ACS token expiring with it", async () => {
    const teams = teamsToken({}, 3600);
    const teamsExp = decodeJwt(teams).payload.exp as number;
    const { token, expiresOn } = await client.getTokenForTeamsUser({ teamsUserAadToken: teams, ...options });
    const { payload } = decodeJwt(token);
    expect(payload.skypeid).toBe(`orgid:${TEAMS_USER_OID}`);
    expect(payload.exp).toBe(teamsExp);
    expect(expiresOn.getTime()).toBe(teamsExp * 1000);
    expect(await verify(token)).toMatchObject({ valid: true, userId: `8:orgid:${TEAMS_USER_OID}` });
  });

  it("accepts v2 tokens (azp instead of appid) and caps the lifetime at 24 hours", async () => {
    const teams = teamsToken({ appid: undefined, azp: TEAMS_APP_ID }, 3 * 24 * 3600);
    const { token } = await client.getTokenForTeamsUser({ teamsUserAadToken: teams, ...options });
    const { payload } = decodeJwt(token);
    expect((payload.exp as number) - (payload.iat as number)).toBe(24 * 3600);
  });

  it.each([
    ["empty", ""],
    ["not a JWT", "invalid"],
    ["expired", teamsToken({}, -60)],
    ["without tid", teamsToken({ tid: undefined })],
  ])("refuses a token that is %s with 401 InvalidAccessToken", async (_name, teamsUserAadToken) => {
    const error = await failure(client.getTokenForTeamsUser({ teamsUserAadToken, ...options }));
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe("InvalidAccessToken");
  });

  // The real answers, as the .NET and Python recordings show them.
  it.each([
    ["a wrong clientId", { clientId: TEAMS_USER_OID }, "AAD application is not the expected one."],
    ["an empty clientId", { clientId: "" }, "AppId: The AppId field is required."],
    ["a clientId that is not a GUID", { clientId: "invalid" }, "Provided AppId has invalid format."],
    ["a wrong userObjectId", { userObjectId: TEAMS_APP_ID }, "Provided AAD token issued for unexpected user."],
    ["an empty userObjectId", { userObjectId: "" }, "UserId: The UserId field is required."],
    ["a userObjectId that is not a GUID", { userObjectId: "invalid" }, "Provided UserId has invalid format."],
  ])("refuses %s with 400 ValidationError", async (_name, override, message) => {
    const error = await failure(client.getTokenForTeamsUser({ teamsUserAadToken: teamsToken(), ...options, ...override }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("ValidationError");
    expect(error.message).toBe(message);
  });

  it("refuses a token without an app id as one for another application", async () => {
    const error = await failure(client.getTokenForTeamsUser({ teamsUserAadToken: teamsToken({ appid: undefined }), ...options }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("AAD application is not the expected one.");
  });
});

describe("emulator: wrong credentials through the SDK", () => {
  it("answers a client with another key with 401 Denied", async () => {
    const wrong = new CommunicationIdentityClient(`endpoint=${emulator.endpoint};accesskey=${Buffer.alloc(32, 7).toString("base64")}`, {
      allowInsecureConnection: true,
    });
    const error = await failure(wrong.createUser());
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe("Denied");
    expect(error.message).toBe("Denied by the resource provider.");
  });
});

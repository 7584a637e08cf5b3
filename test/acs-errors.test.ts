// The service's contract on the emulator's recorded ACS answers: each real refusal maps to the same public code
// as before, ACS's own code is kept in `detail`, and the emulator's log shows the ACS answer it rests on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userActions } from "./helpers/actions.ts";
import { FOREIGN_USER_ID, type Harness, startHarness, userPath } from "./helpers/harness.ts";
import { teamsToken } from "./helpers/jwt.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function lastAcsStatus(): Promise<number | null | undefined> {
  return (await h.requests()).at(-1)?.status;
}

describe("ACS 401 IdentityNotOwned -> 404 user_not_found", () => {
  it.each(userActions(FOREIGN_USER_ID))("%s %s", async (method, path, body) => {
    const res = await h.call(method, path, { body });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("user_not_found");
    expect(res.json.detail).toContain("IdentityNotOwned: Provided identity doesn't belong to the resource.");
    expect(await lastAcsStatus()).toBe(401);
  });

  it("holds for a deleted user too", async () => {
    const { json } = await h.call("POST", "/v1/users");
    expect((await h.call("DELETE", userPath(json.userId))).status).toBe(204);
    const res = await h.call("POST", userPath(json.userId, "/tokens"), { body: { scopes: ["voip"] } });
    expect(res.json).toMatchObject({ status: 404, code: "user_not_found" });
    expect(await lastAcsStatus()).toBe(401);
  });
});

describe("Teams refusals -> 400 teams_token_rejected", () => {
  const clientId = "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b";
  const userObjectId = "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f";
  const claims = { appid: clientId, oid: userObjectId, tid: "72f988bf-86f1-41af-91ab-2d7cd011db47", exp: Math.floor(Date.now() / 1000) + 3600 };

  it.each([
    ["an expired token", { ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, 401, "InvalidAccessToken: Provided access token is not valid."],
    ["a token without oid", { ...claims, oid: undefined }, 401, "InvalidAccessToken: Provided access token is not valid."],
    ["another app's token", { ...claims, appid: "00000000-0000-0000-0000-00000000000a" }, 400, "ValidationError: AAD application is not the expected one."],
    [
      "another user's token",
      { ...claims, oid: "00000000-0000-0000-0000-00000000000b" },
      400,
      "ValidationError: Provided AAD token issued for unexpected user.",
    ],
  ])("%s (ACS %i)", async (_name, tokenClaims, acsStatus, acsSaid) => {
    const res = await h.call("POST", "/v1/teams/tokens", { body: { teamsUserAadToken: teamsToken(tokenClaims), clientId, userObjectId } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "teams_token_rejected", status: 400 });
    expect(res.json.detail).toContain(acsSaid);
    expect(res.json.errors).toBeUndefined();
    expect(await lastAcsStatus()).toBe(acsStatus);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraVerifier } from "../src/entra.ts";
import { AUDIENCE, type EntraIssuer, startEntraIssuer, TENANT_ID } from "./helpers/entra-issuer.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";

/** While the tenant's key endpoint fails, callers must not turn into one outbound fetch each. */
let issuer: EntraIssuer;
let h: Harness;
let clock = 0;
beforeAll(async () => {
  issuer = await startEntraIssuer();
  const entra = createEntraVerifier({
    tenantId: TENANT_ID,
    audience: AUDIENCE,
    jwksUrl: issuer.jwksUrl,
    failureBackoff: { firstMs: 1_000, maxMs: 4_000, now: () => clock },
  });
  h = await startHarness({ apiKeys: [], entra });
});
afterAll(async () => {
  await h.close();
  await issuer.close();
});

const createWith = (token: string) => h.call("POST", "/v1/users", { key: null, headers: { Authorization: `Bearer ${token}` } });

describe("a failing JWKS endpoint", () => {
  it("is fetched once for many concurrent callers, then not again until the back-off has passed, doubling while it fails", async () => {
    const token = await issuer.mint();
    issuer.failWith(503);
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => createWith(token)));
    expect(concurrent.map((res) => res.status)).toEqual(concurrent.map(() => 502));
    expect(concurrent[0]!.json).toMatchObject({ code: "upstream_unavailable" });
    expect(concurrent[0]!.headers.get("retry-after")).toBe("1");
    expect(issuer.fetches()).toBe(1);

    // Within the first back-off (1 s): refused at once, with no fetch.
    clock += 999;
    expect((await createWith(token)).status).toBe(502);
    expect(issuer.fetches()).toBe(1);

    // Past it: one more try, which fails and doubles the back-off to 2 s.
    clock += 2;
    expect((await createWith(token)).status).toBe(502);
    expect(issuer.fetches()).toBe(2);
    clock += 1_999;
    expect((await createWith(token)).headers.get("retry-after")).toBe("1");
    expect(issuer.fetches()).toBe(2);

    // Back: the next try after the back-off succeeds, and the keys are cached again.
    issuer.failWith(undefined);
    clock += 2;
    expect((await createWith(token)).status).toBe(201);
    expect((await createWith(token)).status).toBe(201);
    expect(issuer.fetches()).toBe(3);
    expect(await h.requests()).toHaveLength(2);
  });
});

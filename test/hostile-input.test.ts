import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, actionPath } from "./helpers/actions.ts";
import { FOREIGN_USER_ID, type Harness, startHarness } from "./helpers/harness.ts";
import { teamsToken } from "./helpers/jwt.ts";
import { type RawResponse, rawRequest } from "./helpers/raw-http.ts";

/**
 * A property-based battery of hostile input over every operation: bodies, path segments, headers and content
 * types. Every answer must be a success or a 4xx problem+json (never a 5xx, never a hang), and the emulator must
 * see an ACS request only when the input was valid. Validity is judged by the oracles below, written from
 * the public contract (README: "The actions") rather than taken from src, so the two can disagree. Set FC_SEED to replay a failure.
 */
const SEED = Number(process.env.FC_SEED ?? 20_251_125);
const runs = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true });

let h: Harness;
let liveUserId: string;
beforeAll(async () => {
  h = await startHarness();
  liveUserId = (await h.call("POST", "/v1/users")).json.userId;
});
afterAll(() => h.close());

// ---- oracles (README: "The actions") ----
const SCOPES = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"];
const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const USER_ID = new RegExp(`^8:(acs|gcch-acs|dod-acs|spool):${GUID}_[0-9a-fA-F-]{8,64}$`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const validScopes = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => SCOPES.includes(s)) && new Set(v).size === v.length;
const validExpiry = (v: unknown) => v === undefined || (typeof v === "number" && Number.isInteger(v) && v >= 60 && v <= 1440);
/** Null fields count as absent; returns undefined for a body that is not a JSON object. */
function fields(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) : undefined;
}
const onlyKeys = (body: Record<string, unknown>, allowed: string[]) => Object.keys(body).every((key) => allowed.includes(key));
const validBody = {
  create(text: string) {
    if (text.trim() === "") return true;
    const body = fields(text);
    if (!body || !onlyKeys(body, ["scopes", "expiresInMinutes"])) return false;
    if (body.scopes !== undefined && !validScopes(body.scopes)) return false;
    return validExpiry(body.expiresInMinutes) && (body.expiresInMinutes === undefined || body.scopes !== undefined);
  },
  issue(text: string) {
    const body = fields(text);
    return !!body && onlyKeys(body, ["scopes", "expiresInMinutes"]) && validScopes(body.scopes) && validExpiry(body.expiresInMinutes);
  },
  teams(text: string) {
    const body = fields(text);
    const guid = (v: unknown) => typeof v === "string" && new RegExp(`^${GUID}$`).test(v);
    const jwt = (v: unknown) => typeof v === "string" && v.length <= 8192 && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(v);
    return (
      !!body &&
      onlyKeys(body, ["teamsUserAadToken", "clientId", "userObjectId"]) &&
      jwt(body.teamsUserAadToken) &&
      guid(body.clientId) &&
      guid(body.userObjectId)
    );
  },
};

// ---- what every answer must be ----
const KEY: [string, string] = ["X-API-Key", "test-key-primary"];
const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];

async function send(method: string, target: string, headers: [string, string][], body?: string) {
  await h.clearRequests();
  const res = await rawRequest(h.base, { method, target, headers, ...(body !== undefined && { body }), timeoutMs: 10_000 });
  return { res, reached: await h.requests() };
}

/** A 4xx from Node's own parser (before the app) has no body; it is allowed only where the bytes break HTTP itself. */
function expectSafeAnswer(res: RawResponse, options: { parserRefusalAllowed?: boolean } = {}) {
  expect(res.status, res.body).toBeLessThan(500);
  if (res.status < 400) return;
  if (options.parserRefusalAllowed && res.body === "" && (res.status === 400 || res.status === 431)) return;
  expect(res.headers["content-type"]).toBe("application/problem+json");
  const problem = JSON.parse(res.body);
  expect(problem).toMatchObject({ status: res.status, type: expect.stringMatching(/^urn:/), code: expect.any(String), requestId: expect.any(String) });
}

// ---- generators ----
const scopeLike = fc.oneof(fc.constantFrom(...SCOPES), fc.constantFrom("CHAT", "chat ", "pstn", "", "voip.join.limited"), fc.string({ maxLength: 12 }));
const numberLike = fc.oneof(
  fc.integer({ min: -10, max: 2000 }),
  fc.constantFrom(60, 1440, 59, 1441, 0, -0),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
);
/** Serialised by hand, so keys like __proto__ stay own keys and duplicates and raw number literals survive. */
const objectText = (entries: [string, string][]) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
const rawNumber = fc.constantFrom("1e400", "-1e400", "60.0", "1440.0000000000001", "9007199254740993", "1E2", "0.6e2", "-0", "1e-400");
const deep = fc.integer({ min: 1, max: 4000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const hostileKeys = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "scope", "Scopes", "expiresInMinute", "");

/** Mostly valid pieces, so that successes (which do reach ACS) are common too and the oracle is exercised both ways. */
const often = <T>(valid: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]) => fc.oneof({ weight: others.length * 2, arbitrary: valid }, ...others);
const extraFields = often(
  fc.constant([] as [string, string][]),
  fc.array(
    fc.tuple(
      hostileKeys,
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    ),
    { minLength: 1, maxLength: 2 },
  ),
);

const nearMissEntries = fc
  .tuple(
    fc.option(
      often(
        fc.uniqueArray(fc.constantFrom(...SCOPES), { minLength: 1 }).map((s) => JSON.stringify(s)),
        fc.array(scopeLike, { maxLength: 6 }).map((s) => JSON.stringify(s)),
        deep,
        fc.jsonValue().map((v) => JSON.stringify(v)),
      ),
      { nil: undefined },
    ),
    fc.option(
      often(
        fc.integer({ min: 60, max: 1440 }).map(String),
        numberLike.map((n) => JSON.stringify(n)),
        rawNumber,
        deep,
      ),
      { nil: undefined },
    ),
    extraFields,
  )
  .map(([scopes, expiry, extra]) => {
    const entries: [string, string][] = [];
    if (scopes !== undefined) entries.push(["scopes", scopes]);
    if (expiry !== undefined) entries.push(["expiresInMinutes", expiry]);
    return objectText([...entries, ...extra]);
  });

/** A Teams token that the emulator accepts for these ids (or not, when they differ or it has expired). */
const teamsBody = fc.record({ clientId: fc.uuid(), userObjectId: fc.uuid(), expired: fc.boolean() }).map(({ clientId, userObjectId, expired }) => ({
  teamsUserAadToken: teamsToken({
    appid: clientId,
    oid: userObjectId,
    tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    exp: Math.floor(Date.now() / 1000) + (expired ? -60 : 3600),
  }),
  clientId,
  userObjectId,
}));
const nearMissTeams = fc
  .tuple(
    teamsBody,
    fc.record(
      {
        teamsUserAadToken: fc.oneof(fc.string(), fc.constant("a.b.c"), fc.constant(`${"a".repeat(9000)}.b.c`), fc.constant(null)),
        clientId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constant(null)),
        userObjectId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
      },
      { requiredKeys: [] },
    ),
    fc.boolean(),
    extraFields,
  )
  .map(([valid, changes, change, extra]) => {
    const body: Record<string, unknown> = change ? { ...valid, ...changes } : valid;
    return objectText([...Object.entries(body).map(([k, v]) => [k, JSON.stringify(v)] as [string, string]), ...extra]);
  });

const bodyText = fc.oneof(
  { weight: 3, arbitrary: nearMissEntries },
  { weight: 2, arbitrary: nearMissTeams },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "{", "null", "[]", '{"scopes":["chat"]', '{"scopes":["chat"]}garbage', "\u0000", '{"a":1,"a":2}') },
);

describe("bodies", () => {
  const operations = [
    ["CreateUser", "/v1/users", validBody.create],
    ["IssueAccessToken (live user)", () => `/v1/users/${encodeURIComponent(liveUserId)}/tokens`, validBody.issue],
    ["IssueAccessToken (unknown user)", `/v1/users/${encodeURIComponent(FOREIGN_USER_ID)}/tokens`, validBody.issue],
    ["ExchangeTeamsToken", "/v1/teams/tokens", validBody.teams],
  ] as const;

  it.each(operations)("%s: never a 5xx, and only valid bodies reach ACS", async (_name, path, valid) => {
    await fc.assert(
      fc.asyncProperty(bodyText, async (body) => {
        const target = typeof path === "function" ? path() : path;
        const { res, reached } = await send("POST", target, [KEY, JSON_TYPE], body);
        expectSafeAnswer(res);
        if (!valid(body)) expect(reached, `${body.slice(0, 200)} -> ${res.status}`).toEqual([]);
        if (res.status === 400 && JSON.parse(res.body).code === "validation_failed") expect(reached).toEqual([]);
      }),
      runs(120),
    );
  });
});

describe("path segments", () => {
  const validIdArb = fc
    .tuple(fc.constantFrom("acs", "gcch-acs", "dod-acs", "spool"), fc.uuid(), fc.stringMatching(/^[0-9a-f-]{8,64}$/))
    .map(([cloud, guid, suffix]) => `8:${cloud}:${guid}_${suffix}`);
  const printable = (s: string) =>
    [...s]
      .map((ch) => (/[A-Za-z0-9._~:-]/.test(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)))
      .join("");
  const segment = fc.oneof(
    validIdArb.map(encodeURIComponent),
    validIdArb,
    validIdArb.map((id) => encodeURIComponent(encodeURIComponent(id))),
    validIdArb.map((id) => encodeURIComponent(id).replace("_", "%2F")),
    fc.constantFrom("..", ".", "%2e%2e", "%2E.", "...", "%2F", "%252F", "%00", "%0A", "%0D%0A", "%", "%zz", "%C0%AF", "%EF%BF%BF", "%u002e"),
    fc.tuple(validIdArb.map(encodeURIComponent), fc.constantFrom("/..", "/../..", "/.", "%2F..", "/%2e%2e")).map(([id, tail]) => id + tail),
    fc.string({ unit: "grapheme", maxLength: 30 }).map(printable),
    fc.string({ unit: "binary", maxLength: 30 }).map(printable),
    fc.integer({ min: 1000, max: 9000 }).map((n) => `8%3Aacs%3A${"f".repeat(n)}`),
  );
  const shape = fc.constantFrom(["POST", "/tokens"], ["DELETE", "/tokens"], ["DELETE", ""]) as fc.Arbitrary<[string, string]>;

  /** What the route sees: the URL as WHATWG normalises it (dot segments), the id decoded once. */
  function reachesAcsIfValid(method: string, target: string): boolean {
    const path = new URL(target, "http://host").pathname;
    const match = /^\/v1\/users\/([^/]+)(\/tokens)?$/.exec(path);
    if (!match) return false;
    if (method === "POST" && !match[2]) return false;
    let id: string;
    try {
      id = decodeURIComponent(match[1]!);
    } catch {
      return false;
    }
    return USER_ID.test(id);
  }

  it("IssueAccessToken, RevokeAccessTokens, DeleteUser: never a 5xx, and only valid ids reach ACS", async () => {
    await fc.assert(
      fc.asyncProperty(shape, segment, async ([method, suffix], seg) => {
        const target = `/v1/users/${seg}${suffix}`;
        const { res, reached } = await send(
          method,
          target,
          method === "POST" ? [KEY, JSON_TYPE] : [KEY],
          method === "POST" ? '{"scopes":["chat"]}' : undefined,
        );
        expectSafeAnswer(res);
        if (!reachesAcsIfValid(method, target)) expect(reached, `${method} ${target.slice(0, 200)} -> ${res.status}`).toEqual([]);
      }),
      runs(200),
    );
  });

  it("raw bytes in the request line (control characters, UTF-8, spaces) are refused before the app or by it", async () => {
    const raw = fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
      fc.constantFrom("\u0000", "\t", "a b", "\u00e9", "\u{1F600}", "\u007f", "\r", "\n"),
    );
    await fc.assert(
      fc.asyncProperty(shape, raw, async ([method], text) => {
        await h.clearRequests();
        const res = await rawRequest(h.base, {
          method,
          target: `/v1/users/${Buffer.from(text, "utf8").toString("latin1")}`,
          headers: [KEY],
          timeoutMs: 10_000,
        }).catch((error: Error) =>
          // Node may reset a connection whose request line is broken; that is a refusal, unless it was a timeout.
          error.message.startsWith("no answer") ? Promise.reject(error) : ({ status: 400, headers: {}, body: "" } as RawResponse),
        );
        expectSafeAnswer(res, { parserRefusalAllowed: true });
        expect(await h.requests()).toEqual([]);
      }),
      runs(100),
    );
  });
});

describe("headers and content types", () => {
  const keyVariant = fc.oneof(
    fc.constantFrom(
      "test-key-primary",
      " test-key-primary ",
      "TEST-KEY-PRIMARY",
      "test-key-primary\t",
      "test-key-primar",
      "test-key-primaryy",
      "",
      "test-key-primary, test-key-secondary",
      "test-key-secondary",
    ),
    fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s)),
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/problem+json",
      "application/json-patch+json",
      "text/json",
      "text/plain",
      "application/jsonx",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json, text/plain",
      ";",
      "application/",
      "*/*",
      "",
    ),
    fc.string({ maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s)),
  );
  const requestId = fc.oneof(
    fc.string({ maxLength: 140 }).filter((s) => !/[\r\n\0]/.test(s)),
    fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/),
    fc.constantFrom("<script>", "a".repeat(129), "id\u00e9", "../../etc"),
  );
  const operation = fc.constantFrom(
    ...ACTIONS.map((action): [string, string, string | undefined] => [
      action.method,
      actionPath(action, FOREIGN_USER_ID),
      action.body === undefined ? undefined : JSON.stringify(action.body),
    ]),
  );

  it("every operation under odd keys, content types and request ids: never a 5xx, refusals never reach ACS, the request id is never reflected unchecked", async () => {
    await fc.assert(
      fc.asyncProperty(
        operation,
        fc.option(keyVariant, { nil: undefined }),
        fc.option(contentType, { nil: undefined }),
        fc.option(requestId, { nil: undefined }),
        async ([method, path, body], key, type, id) => {
          const headers: [string, string][] = [];
          if (key !== undefined) headers.push(["X-API-Key", Buffer.from(key, "utf8").toString("latin1")]);
          if (type !== undefined) headers.push(["Content-Type", Buffer.from(type, "utf8").toString("latin1")]);
          if (id !== undefined) headers.push(["x-ms-client-request-id", Buffer.from(id, "utf8").toString("latin1")]);
          const { res, reached } = await send(method, path, headers, body);
          expectSafeAnswer(res, { parserRefusalAllowed: true });
          const code = res.body ? JSON.parse(res.body).code : undefined;
          if (["validation_failed", "unauthorized", "payload_too_large", "unsupported_media_type"].includes(code)) expect(reached).toEqual([]);
          if (res.status === 401) expect(res.headers["www-authenticate"]).toMatch(/^ApiKey /);
          if (res.body !== "") {
            const echoed = res.headers["x-ms-client-request-id"];
            expect((echoed === id?.trim() && /^[A-Za-z0-9._:-]{1,128}$/.test(echoed ?? "")) || /^[0-9a-f-]{36}$/.test(echoed ?? "")).toBe(true);
          }
        },
      ),
      runs(150),
    );
  });
});

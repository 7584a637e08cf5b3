// Raw signed requests shaped byte for byte as the .NET, Python and Java SDKs send them (headers as their test
// recordings show, signing as each SDK's HMAC policy does it), not only as the JS client does. Sources:
// azure-sdk-for-net sdk/communication/Shared/src/HMACAuthenticationPolicy.cs and tests/SessionRecords/;
// azure-sdk-for-python .../azure/communication/identity/_shared/policy.py and tests/recordings/;
// azure-sdk-for-java .../communication/common/implementation/HmacAuthenticationPolicy.java and src/test/resources/session-records/.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { rawRequest, type RawResponse } from "./helpers/raw-http.ts";
import { TEAMS_APP_ID, TEAMS_USER_OID, teamsToken } from "./helpers/jwt.ts";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

interface Sdk {
  name: string;
  /** The JSON body as the SDK serialises it (Python's json.dumps puts spaces after ":" and ","). */
  json(value: unknown): string;
  /** What the SDK sends for a create without a token. */
  emptyCreate: string;
  headers(): [string, string][];
  /** The string to sign, from the SDK's own policy. */
  stringToSign(verb: string, host: string, pathAndQuery: string, date: string, hash: string): string;
  /** Extra headers the policy adds besides x-ms-date, x-ms-content-sha256 and Authorization. */
  signingHeaders(date: string, stringToSign: string): [string, string][];
}

const SDKS: Sdk[] = [
  {
    name: ".NET",
    json: (value) => JSON.stringify(value),
    emptyCreate: "{}",
    headers: () => [
      ["Accept", "application/json"],
      ["Content-Type", "application/json"],
      ["traceparent", `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00`],
      ["User-Agent", "azsdk-net-Communication.Identity/1.3.0 (.NET 7.0.3; Microsoft Windows 10.0.22621)"],
      ["x-ms-client-request-id", randomBytes(16).toString("hex")],
      ["x-ms-return-client-request-id", "true"],
    ],
    // Uri.Authority (host and port) and Uri.PathAndQuery.
    stringToSign: (verb, host, pathAndQuery, date, hash) => `${verb}\n${pathAndQuery}\n${date};${host};${hash}`,
    signingHeaders: (date) => [["Date", date]],
  },
  {
    name: "Python",
    json: (value) => JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "'),
    emptyCreate: "",
    headers: () => [
      ["Accept", "application/json"],
      ["Accept-Encoding", "gzip, deflate"],
      ["Content-Type", "application/json"],
      ["User-Agent", "azsdk-python-communication-identity/1.3.2 Python/3.9.13 (Windows-10-10.0.22621-SP0)"],
      ["x-ms-client-request-id", randomUUID()],
      ["x-ms-return-client-request-id", "true"],
    ],
    // The policy cuts len(host) + len("https://") characters off the URL: over http:// the path loses its "/".
    stringToSign: (verb, host, pathAndQuery, date, hash) => `${verb}\n${`http://${pathAndQuery}`.slice(8)}\n${date};${host};${hash}`,
    signingHeaders: () => [],
  },
  {
    name: "Java",
    json: (value) => JSON.stringify(value),
    emptyCreate: "{}",
    headers: () => [
      ["User-Agent", "azsdk-java-azure-communication-identity/1.5.0 (17.0.8; Linux; 6.1)"],
      ["x-ms-client-request-id", randomUUID()],
      ["Content-Type", "application/json"],
    ],
    // URL.getHost(): the host without its port.
    stringToSign: (verb, host, pathAndQuery, date, hash) => `${verb}\n${pathAndQuery}\n${date};${host.replace(/:\d+$/, "")};${hash}`,
    signingHeaders: (date, stringToSign) => [
      ["date", date],
      ["x-ms-hmac-string-to-sign-base64", Buffer.from(stringToSign).toString("base64")],
    ],
  },
];

/** RFC 1123 with a two-digit day, as every SDK writes it (.NET "r", Python strftime, Java "E, dd MMM yyyy"). */
function rfc1123(date = new Date()): string {
  return date.toUTCString();
}

/** `extra` headers replace the SDK's own of the same name. */
function send(sdk: Sdk, method: string, pathAndQuery: string, body: string, extra: [string, string][] = []): Promise<RawResponse> {
  const host = new URL(emulator.endpoint).host;
  const date = rfc1123();
  const hash = createHash("sha256").update(body).digest("base64");
  const toSign = sdk.stringToSign(method, host, pathAndQuery, date, hash);
  const signature = createHmac("sha256", Buffer.from(emulator.accessKey, "base64")).update(toSign, "utf8").digest("base64");
  const overridden = new Set(extra.map(([name]) => name.toLowerCase()));
  const headers: [string, string][] = [
    ...sdk.headers().filter(([name]) => !overridden.has(name.toLowerCase())),
    ["x-ms-date", date],
    ["x-ms-content-sha256", hash],
    ...sdk.signingHeaders(date, toSign),
    ["Authorization", `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`],
    ...extra,
  ];
  return rawRequest(emulator.endpoint, { method, target: pathAndQuery, headers, body: Buffer.from(body) });
}

describe.each(SDKS)("requests shaped as the $name SDK sends them", (sdk) => {
  const q = "api-version=2023-10-01";

  it("create, issue, revoke and delete succeed, echoing x-ms-client-request-id", async () => {
    const created = await send(sdk, "POST", `/identities?${q}`, sdk.emptyCreate);
    expect(created.status).toBe(201);
    expect(created.headers["content-type"]).toBe("application/json; charset=utf-8");
    const id = encodeURIComponent((JSON.parse(created.body) as { identity: { id: string } }).identity.id);

    const issued = await send(sdk, "POST", `/identities/${id}/:issueAccessToken?${q}`, sdk.json({ scopes: ["chat"], expiresInMinutes: null }));
    expect(issued.status).toBe(200);
    expect(Object.keys(JSON.parse(issued.body))).toEqual(["token", "expiresOn"]);

    const withToken = await send(sdk, "POST", `/identities?${q}`, sdk.json({ createTokenWithScopes: ["chat", "voip"], expiresInMinutes: 60 }));
    expect(withToken.status).toBe(201);

    for (const [method, suffix] of [
      ["POST", "/:revokeAccessTokens"],
      ["DELETE", ""],
    ] as const) {
      const requestId = randomUUID();
      const response = await send(sdk, method, `/identities/${id}${suffix}?${q}`, "", [["x-ms-client-request-id", requestId]]);
      expect(response.status).toBe(204);
      expect(response.headers["x-ms-client-request-id"]).toBe(requestId);
    }
  });

  it("gets the recorded refusals", async () => {
    const created = await send(sdk, "POST", `/identities?${q}`, sdk.emptyCreate);
    const id = encodeURIComponent((JSON.parse(created.body) as { identity: { id: string } }).identity.id);
    const noScopes = await send(sdk, "POST", `/identities/${id}/:issueAccessToken?${q}`, sdk.json({ scopes: null, expiresInMinutes: null }));
    expect(noScopes.status).toBe(400);
    expect(noScopes.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(noScopes.body)).toEqual({ error: { code: "ValidationError", message: "Scopes: The Scopes field is required.", target: "Scopes" } });

    const wrongApp = await send(
      sdk,
      "POST",
      `/teamsUser/:exchangeAccessToken?${q}`,
      sdk.json({ token: teamsToken(), appId: TEAMS_USER_OID, userId: TEAMS_USER_OID }),
    );
    expect(wrongApp.status).toBe(400);
    expect(JSON.parse(wrongApp.body).error.message).toBe("AAD application is not the expected one.");

    const good = await send(
      sdk,
      "POST",
      `/teamsUser/:exchangeAccessToken?${q}`,
      sdk.json({ token: teamsToken(), appId: TEAMS_APP_ID, userId: TEAMS_USER_OID }),
    );
    expect(good.status).toBe(200);
  });

  it("is refused with 401 Denied when the signature is not the key's", async () => {
    const response = await send({ ...sdk, stringToSign: (...args) => `${sdk.stringToSign(...args)}x` }, "POST", `/identities?${q}`, sdk.emptyCreate);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe("Denied");
  });
});

describe("signing variants the emulator accepts, and only those", () => {
  it("refuses a signature over another host or another path, whatever the SDK", async () => {
    const dotnet = SDKS[0]!;
    for (const stringToSign of [
      (verb: string, _host: string, path: string, date: string, hash: string) => `${verb}\n${path}\n${date};example.com;${hash}`,
      (verb: string, host: string, _path: string, date: string, hash: string) => `${verb}\n/identities?api-version=2021-03-07\n${date};${host};${hash}`,
      (verb: string, host: string, path: string, date: string, hash: string) => `${verb}\n${path.slice(2)}\n${date};${host};${hash}`,
    ]) {
      const response = await send({ ...dotnet, stringToSign }, "POST", "/identities?api-version=2023-10-01", "{}");
      expect(response.status).toBe(401);
    }
  });
});

// A local managed-identity endpoint, as Azure App Service offers one, and the checking of the bearer tokens it
// issues when they come back to the ACS API. With IDENTITY_ENDPOINT and IDENTITY_HEADER pointing here,
// @azure/identity's ManagedIdentityCredential (msal-node's App Service source) gets its tokens from the emulator.
//
// What msal-node 3.x sends (checked in node_modules/@azure/msal-node, class AppService):
//   GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>   header X-IDENTITY-HEADER: <IDENTITY_HEADER>
// (plus client_id/mi_res_id/object_id for a user-assigned identity). It reads access_token, expires_on (seconds
// since the epoch; ISO 8601 also accepted), resource and token_type from the JSON answer.
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { type CryptoKey, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { acsError, type Reply } from "./errors.ts";

export const IDENTITY_PATH = "/_emulator/identity/token";
const API_VERSION = "2019-08-01";
/** What the ACS SDK asks for (scope https://communication.azure.com//.default, less /.default) and the bare form. */
const ACS_AUDIENCES = ["https://communication.azure.com/", "https://communication.azure.com"];
// The emulated tenant and managed identity: fixed, recognisable ids.
const TENANT_ID = "e1e1e1e1-0000-4000-8000-000000000001";
const PRINCIPAL_ID = "e1e1e1e1-0000-4000-8000-0000000000aa";
const ISSUER = `https://sts.windows.net/${TENANT_ID}/`;
const LIFETIME_SECONDS = 24 * 3600;

export class ManagedIdentity {
  /** The secret App Service puts in IDENTITY_HEADER; a request without it is refused. */
  readonly header = randomBytes(24).toString("base64url");
  readonly #privateKey: CryptoKey;
  readonly #publicKey: CryptoKey;
  readonly #now: () => number;

  private constructor(keys: { privateKey: CryptoKey; publicKey: CryptoKey }, now: () => number) {
    this.#privateKey = keys.privateKey;
    this.#publicKey = keys.publicKey;
    this.#now = now;
  }

  static async create(now: () => number): Promise<ManagedIdentity> {
    return new ManagedIdentity(await generateKeyPair("RS256"), now);
  }

  /** Answers GET IDENTITY_PATH as App Service's endpoint does (errors: 400 bad request, 401 without the header). */
  async issue(method: string, query: string, headers: IncomingHttpHeaders): Promise<Reply> {
    const offered = headers["x-identity-header"];
    if (typeof offered !== "string" || !sameSecret(offered, this.header)) {
      return acsError(401, "Unauthorized", "The X-IDENTITY-HEADER header is missing or wrong.");
    }
    const params = new URLSearchParams(query);
    const resource = params.get("resource");
    if (method !== "GET" || params.get("api-version") !== API_VERSION || !resource) {
      return acsError(400, "BadRequest", `Send GET with api-version=${API_VERSION} and a resource.`);
    }
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + LIFETIME_SECONDS;
    // Any resource gets a token, as from a real endpoint; the ACS API below accepts only its own audience.
    const token = await new SignJWT({ tid: TENANT_ID, oid: PRINCIPAL_ID, sub: PRINCIPAL_ID, idtyp: "app", uti: randomUUID() })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setAudience(resource)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .sign(this.#privateKey);
    return { status: 200, json: { access_token: token, expires_on: String(exp), resource, token_type: "Bearer", client_id: PRINCIPAL_ID } };
  }

  /** True for a token this endpoint issued for ACS that has not expired. */
  async verify(token: string): Promise<boolean> {
    try {
      await jwtVerify(token, this.#publicKey, {
        algorithms: ["RS256"],
        issuer: ISSUER,
        audience: ACS_AUDIENCES,
        currentDate: new Date(this.#now()),
        clockTolerance: 60,
      });
      return true;
    } catch {
      return false;
    }
  }
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

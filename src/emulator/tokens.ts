// ACS access tokens: real RS256 JWTs signed with a key pair made when the emulator starts.
import { createHash, generateKeyPair, sign, verify, type KeyObject } from "node:crypto";
import { promisify } from "node:util";

const generateKeyPairAsync = promisify(generateKeyPair);

export const DEFAULT_LIFETIME_MINUTES = 1440;

/**
 * Claims shaped like a decoded real ACS token (as published decodes show: header alg RS256, kid, x5t, typ JWT;
 * payload skypeid, scp 1792, csi = iat as a string, exp, rgn, acsScope, resourceId, resourceLocation, iat).
 * `emuGen` is the emulator's own private claim (real tokens have none): the user's revocation
 * generation at issue. Without it, tokens issued in the same second before and after a revoke
 * would be byte-identical, so revocation could not be judged.
 */
export interface AcsClaims {
  skypeid: string;
  scp: number;
  csi: string;
  exp: number;
  rgn: string;
  acsScope: string;
  resourceId: string;
  resourceLocation: string;
  iat: number;
  emuGen: number;
}

export interface IssuedToken {
  token: string;
  /** ISO 8601 as ACS writes it (see acsDateTime); the same instant as the token's `exp`. */
  expiresOn: string;
}

/** ACS's date-time form: seven fractional digits and `+00:00` (e.g. `2023-10-19T15:34:16.4461396+00:00`). */
export function acsDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000+00:00`;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Decodes one base64url JSON segment of a JWT, or undefined when it is not a JSON object. */
export function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type Verdict = { ok: true; claims: AcsClaims } | { ok: false; reason: "malformed" | "bad_signature" };

export class TokenSigner {
  readonly #privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Certificate-thumbprint-like key id (uppercase hex SHA-1 of the public key), as real ACS headers carry. */
  readonly kid: string;
  readonly #x5t: string;
  readonly #header: string;

  private constructor(privateKey: KeyObject, publicKey: KeyObject) {
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
    const thumbprint = createHash("sha1")
      .update(publicKey.export({ type: "spki", format: "der" }))
      .digest();
    this.kid = thumbprint.toString("hex").toUpperCase();
    this.#x5t = thumbprint.toString("base64url");
    this.#header = b64url(JSON.stringify({ alg: "RS256", kid: this.kid, x5t: this.#x5t, typ: "JWT" }));
  }

  static async create(): Promise<TokenSigner> {
    const { privateKey, publicKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 });
    return new TokenSigner(privateKey, publicKey);
  }

  sign(claims: AcsClaims): IssuedToken {
    const unsigned = `${this.#header}.${b64url(JSON.stringify(claims))}`;
    const signature = sign("sha256", Buffer.from(unsigned), this.#privateKey);
    return { token: `${unsigned}.${b64url(signature)}`, expiresOn: acsDateTime(claims.exp * 1000) };
  }

  /** Checks the structure and the signature; expiry and revocation are the caller's business. */
  check(token: string): Verdict {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
    const header = decodeSegment(headerPart);
    const payload = decodeSegment(payloadPart);
    if (!header || !payload || !/^[A-Za-z0-9_-]+$/.test(signaturePart)) return { ok: false, reason: "malformed" };
    if (header.alg !== "RS256" || header.kid !== this.kid) return { ok: false, reason: "bad_signature" };
    const good = verify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), this.publicKey, Buffer.from(signaturePart, "base64url"));
    if (!good) return { ok: false, reason: "bad_signature" };
    if (!isAcsClaims(payload)) return { ok: false, reason: "malformed" };
    return { ok: true, claims: payload };
  }

  /** The public key as a JWKS, so a consumer can check tokens itself. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.kid, x5t: this.#x5t, use: "sig", alg: "RS256" }] };
  }
}

function isAcsClaims(value: Record<string, unknown>): value is Record<string, unknown> & AcsClaims {
  return (
    typeof value.skypeid === "string" &&
    typeof value.exp === "number" &&
    typeof value.iat === "number" &&
    typeof value.acsScope === "string" &&
    typeof value.emuGen === "number"
  );
}

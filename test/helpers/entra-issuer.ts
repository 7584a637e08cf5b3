import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** A stand-in for a Microsoft Entra tenant: RS256 keys made with jose, a JWKS on loopback, and a token minter. */
export const TENANT_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
export const AUDIENCE = "api://acs-identity-connector";

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" } };
}

export interface MintOptions {
  /** Sign with this kid's key (a published or an unpublished one). */
  kid?: string;
  /** Claims to add or override; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
}

export async function startEntraIssuer() {
  const keys = new Map<string, SigningKey>();
  const published = new Set<string>();
  let counter = 0;
  const addKey = async (publish: boolean) => {
    const key = await newKey(`key-${++counter}`);
    keys.set(key.kid, key);
    if (publish) published.add(key.kid);
    return key.kid;
  };
  const firstKid = await addKey(true);

  let fetches = 0;
  let failing: number | undefined;
  const server: Server = createServer((_req, res) => {
    fetches++;
    if (failing !== undefined) return void res.writeHead(failing).end();
    const body = JSON.stringify({ keys: [...published].map((kid) => keys.get(kid)!.jwk) });
    res.writeHead(200, { "Content-Type": "application/json" }).end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`);

  /** A token shaped like an Entra v2 app-only access token of the tenant, valid for an hour. */
  async function mint(options: MintOptions = {}): Promise<string> {
    const key = keys.get(options.kid ?? firstKid)!;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      aud: AUDIENCE,
      tid: TENANT_ID,
      oid: "0a1b2c3d-0000-4000-8000-000000000001",
      azp: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b",
      roles: ["Identities.Manage"],
      iat: now,
      nbf: now,
      exp: now + 3600,
      ver: "2.0",
      ...options.claims,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" }).sign(key.privateKey);
  }

  return {
    jwksUrl,
    firstKid,
    mint,
    /** How often the JWKS was fetched. */
    fetches: () => fetches,
    /** A new key that is not (yet) in the JWKS. */
    unpublishedKey: () => addKey(false),
    /** Makes the JWKS answer this status from now on (an outage); undefined serves the keys again. */
    failWith: (status: number | undefined) => {
      failing = status;
    },
    /** Publishes a key, as Entra does when it rotates. */
    publish: (kid: string) => void published.add(kid),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type EntraIssuer = Awaited<ReturnType<typeof startEntraIssuer>>;

// The ACS Identity emulator: the data-plane REST API the real @azure/communication-identity client
// talks to, plus /_emulator/* endpoints for tests (token verification, fault injection, request log).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { EmulatorContext } from "./context.ts";
import { FaultQueue } from "./faults.ts";
import { selfSignedCertificate } from "./certificate.ts";
import { isBase64Key } from "./hmac.ts";
import { IDENTITY_PATH, ManagedIdentity } from "./managed-identity.ts";
import { RequestLog } from "./requests.ts";
import { createRequestHandler } from "./server.ts";
import { resourceIdFor, UserStore } from "./store.ts";
import { TokenSigner } from "./tokens.ts";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator has no business being reachable from elsewhere. */
  host?: string;
  /** Base64; 32 random bytes when absent. */
  accessKey?: string;
  /** How far x-ms-date may be from now; default 15 minutes. */
  maxClockSkewMs?: number;
  /** The emulator's clock (ms since the epoch), for tests of expiry; default Date.now. */
  now?: () => number;
  /** Serve HTTPS with a self-signed certificate made at start (needed for bearer tokens: the SDK refuses them over http). */
  tls?: boolean;
}

export interface RunningEmulator {
  /** "http://127.0.0.1:PORT/" */
  endpoint: string;
  accessKey: string;
  /** "endpoint=http://127.0.0.1:PORT/;accesskey=KEY" */
  connectionString: string;
  port: number;
  /** The resource's id (a GUID), derived from the access key. */
  resourceId: string;
  /** The PEM certificate to trust, with `tls: true`. */
  certificate?: string;
  /** The managed-identity endpoint and secret, for IDENTITY_ENDPOINT and IDENTITY_HEADER (as Azure App Service sets them). */
  identityEndpoint: string;
  identityHeader: string;
  /** Closes every socket; resolves once the server has stopped. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accessKey = options.accessKey ?? randomBytes(32).toString("base64");
  if (!isBase64Key(accessKey)) throw new Error("The emulator's access key must be valid base64.");
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid emulator port: ${port}`);

  const ctx: EmulatorContext = {
    store: new UserStore(resourceIdFor(accessKey)),
    signer: await TokenSigner.create(),
    now: options.now ?? Date.now,
  };
  const identity = await ManagedIdentity.create(ctx.now);
  const handler = createRequestHandler({
    ctx,
    faults: new FaultQueue(),
    log: new RequestLog(),
    key: Buffer.from(accessKey, "base64"),
    maxClockSkewMs: options.maxClockSkewMs ?? 15 * 60 * 1000,
    identity,
  });

  const certificate = options.tls ? await selfSignedCertificate(host) : undefined;
  const server = certificate
    ? createTlsServer({ cert: certificate.cert, key: certificate.key }, (req, res) => handler.handle(req, res))
    : createServer((req, res) => handler.handle(req, res));
  // A malformed request must not take the emulator down.
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const endpoint = `${certificate ? "https" : "http"}://${urlHost}:${bound}/`;
  let closing: Promise<void> | undefined;

  return {
    endpoint,
    accessKey,
    connectionString: `endpoint=${endpoint};accesskey=${accessKey}`,
    port: bound,
    resourceId: ctx.store.resourceId,
    ...(certificate && { certificate: certificate.cert }),
    identityEndpoint: new URL(IDENTITY_PATH, endpoint).href,
    identityHeader: identity.header,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        handler.shutdown();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

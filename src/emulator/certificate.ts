// A self-signed certificate for the emulator's HTTPS mode, made at start. The SDK's bearer-token policy refuses
// http://, so testing Entra ID authentication to ACS needs TLS; a client trusts this certificate through
// NODE_EXTRA_CA_CERTS (or `ca`). Made with the `selfsigned` package rather than the openssl binary: it runs
// wherever Node does (Windows included) and is loaded only when TLS is asked for.

export interface Certificate {
  /** PEM, to hand to a client as a trusted CA. */
  cert: string;
  key: string;
}

export async function selfSignedCertificate(host: string): Promise<Certificate> {
  const { generate } = await import("selfsigned");
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "ACS Identity emulator" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now - 60 * 60 * 1000),
    notAfterDate: new Date(now + 7 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
          ...(/^[\d.]+$|:/.test(host) ? [{ type: 7 as const, ip: host }] : [{ type: 2 as const, value: host }]),
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

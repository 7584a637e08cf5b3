import { isLoopbackHost } from "../loopback.ts";

/** Host names for the connector definition's `host`: the rule for /swagger.json (see the README), and the generator's --host. */

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::([0-9]{1,5}))?$`);

/** The host (name or IP, optional port) in lower case, or undefined when it is not a valid one. */
export function validHost(value: string | undefined): string | undefined {
  const host = value?.trim().toLowerCase();
  const match = host ? HOST.exec(host) : null;
  if (!match || match[1]!.length > 253) return undefined;
  if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535)) return undefined;
  return host;
}

/** A base path as Swagger 2.0 wants it: starting with "/", no trailing "/" (except the root), no query. */
export function validBasePath(value: string): string | undefined {
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(value) || value.includes("//")) return undefined;
  return value.length > 1 ? value.replace(/\/$/, "") : value;
}

/** Where a request for /swagger.json says the service is: its host and the scheme to call it with. */
export type RequestHost = { host: string; schemes: string[] } | { refused: "Host" | "X-Forwarded-Host" };

/**
 * The first X-Forwarded-Host, else Host, when it is a valid host name with an optional port; https, or http only when
 * X-Forwarded-Proto says so for a loopback host (a local test through a proxy on the same machine).
 */
export function requestHost(header: (name: string) => string | undefined, fallback: string): RequestHost {
  const forwarded = header("x-forwarded-host")?.split(",")[0];
  const host = validHost(forwarded ?? header("host") ?? fallback);
  if (!host) return { refused: forwarded === undefined ? "Host" : "X-Forwarded-Host" };
  const proto = header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return { host, schemes: proto === "http" && isLoopbackHost(host) ? ["http"] : ["https"] };
}

/** Host names for the connector definition's `host`: DESIGN's rule for /swagger.json, and the generator's --host. */

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

/**
 * Loopback hosts (localhost, 127.0.0.0/8, ::1), with or without a port. The only places plain http is allowed: the
 * ACS client speaks http only to a local emulator, and /swagger.json offers http only to a local test.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:[0-9]+$/, "").replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name === "::1" || /^127(?:\.[0-9]{1,3}){3}$/.test(name);
}

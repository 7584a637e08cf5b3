// What keeps web pages away from the /_emulator/* endpoints (faults, request log, verify, managed identity): they
// answer only to a loopback Host (no DNS rebinding), refuse any Origin but the emulator's own (no cross-site
// requests from a browser), and take a body only as application/json (no "simple" form or text/plain posts,
// which a browser sends cross-site without asking first).
import type { IncomingMessage } from "node:http";
import { acsError, type Reply } from "./errors.ts";

/** localhost, 127.0.0.0/8 or [::1], with an optional port. */
function loopbackHost(host: string): boolean {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::\d{1,5})?$/.exec(host);
  const name = (match?.[1] ?? match?.[2] ?? "").toLowerCase();
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name);
}

function announcesBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** A refusal, or undefined when the request may reach a control endpoint. `takesJson`: false for the managed-identity endpoint, which takes no JSON body. */
export function guardControl(req: IncomingMessage, scheme: "http" | "https", takesJson: boolean): Reply | undefined {
  const host = req.headers.host ?? "";
  if (!loopbackHost(host)) {
    return acsError(403, "Forbidden", "The emulator's control endpoints answer only to a loopback Host (127.0.0.1, ::1 or localhost).");
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${scheme}://${host}`) {
    return acsError(403, "Forbidden", "The emulator's control endpoints refuse requests from another origin.");
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (takesJson && (method === "POST" || method === "PUT" || method === "PATCH" || announcesBody(req))) {
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      return acsError(415, "UnsupportedMediaType", "The emulator's control endpoints take only application/json.");
    }
  }
  return undefined;
}

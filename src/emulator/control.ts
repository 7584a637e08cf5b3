// The emulator's own endpoints under /_emulator/: not part of ACS, never signed, never faulted.
import type { EmulatorContext } from "./context.ts";
import { acsError, notFound, type Reply } from "./errors.ts";
import { parseFault, type FaultQueue } from "./faults.ts";
import type { RequestLog } from "./requests.ts";
import { verifyToken } from "./verify.ts";

export interface ControlDeps {
  ctx: EmulatorContext;
  faults: FaultQueue;
  log: RequestLog;
}

function badRequest(message: string, target?: string): Reply {
  return acsError(400, "BadRequest", message, target);
}

/** `body` is the parsed JSON body, `undefined` when empty; a JSON syntax error never reaches here. */
export function handleControl(deps: ControlDeps, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path}`;
  switch (route) {
    case "POST /_emulator/verify": {
      const token = (body as { token?: unknown } | undefined)?.token;
      if (body === null || typeof body !== "object" || typeof token !== "string") {
        return badRequest('The body must be { "token": "<ACS token>" }.', "token");
      }
      return { status: 200, json: verifyToken(deps.ctx, token) };
    }
    case "POST /_emulator/faults": {
      const fault = parseFault(body);
      if (typeof fault === "string") return badRequest(fault);
      deps.faults.add(fault);
      return { status: 200, json: { faults: deps.faults.list() } };
    }
    case "GET /_emulator/faults":
      return { status: 200, json: { faults: deps.faults.list() } };
    case "DELETE /_emulator/faults":
      deps.faults.clear();
      return { status: 204 };
    case "GET /_emulator/requests":
      return { status: 200, json: { requests: deps.log.list() } };
    case "DELETE /_emulator/requests":
      deps.log.clear();
      return { status: 204 };
    case "GET /_emulator/keys":
      return { status: 200, json: deps.ctx.signer.jwks() };
    default:
      return notFound();
  }
}

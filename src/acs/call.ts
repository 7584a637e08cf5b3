import type { OperationOptions } from "@azure/core-client";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { REQUEST_ID_HEADER } from "../middleware/request-context.ts";
import { type AcsCallKind, mapAcsError } from "./errors.ts";

/**
 * The id ACS gave its answer. ACS's recorded answers carry an `MS-CV` correlation vector and no request-id header;
 * the request-id headers other Azure services send are read first in case ACS starts sending one.
 */
const ACS_REQUEST_ID_HEADERS = ["x-ms-request-id", "request-id", "ms-cv"];

/**
 * Runs one SDK call for a request: hands ACS the request's id (so one id follows a call from the caller through
 * ACS's own logs), keeps the id of ACS's last answer for the log line (an error answer's too), and maps whatever ACS
 * answers to the public error model.
 */
export async function callAcs<T>(c: Context<AppEnv>, kind: AcsCallKind, call: (options: OperationOptions) => Promise<T>): Promise<T> {
  const options: OperationOptions = {
    requestOptions: { customHeaders: { [REQUEST_ID_HEADER]: c.get("requestId") } },
    onResponse: ({ headers }) => {
      const id = ACS_REQUEST_ID_HEADERS.map((name) => headers.get(name)).find(Boolean);
      if (id) c.set("acsRequestId", id);
    },
  };
  try {
    return await call(options);
  } catch (error) {
    throw mapAcsError(error, kind);
  }
}

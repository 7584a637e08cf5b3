import type { OperationOptions } from "@azure/core-client";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { REQUEST_ID_HEADER } from "../middleware/request-context.ts";
import { type AcsCallKind, mapAcsError } from "./errors.ts";

/**
 * Runs one SDK call for a request: hands ACS the request's id (so one id follows a call from the caller through
 * ACS's own logs) and maps whatever ACS answers to the public error model.
 */
export async function callAcs<T>(c: Context<AppEnv>, kind: AcsCallKind, call: (options: OperationOptions) => Promise<T>): Promise<T> {
  const options: OperationOptions = { requestOptions: { customHeaders: { [REQUEST_ID_HEADER]: c.get("requestId") } } };
  try {
    return await call(options);
  } catch (error) {
    throw mapAcsError(error, kind);
  }
}

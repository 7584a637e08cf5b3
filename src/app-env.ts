import type { CommunicationIdentityClient } from "@azure/communication-identity";
import type { ErrorCode } from "./errors.ts";

/** Writes one structured log line. Node prints JSON to stdout; tests collect the lines. */
export type Logger = (line: Record<string, unknown>) => void;

/** What handlers get through the typed context instead of reaching for globals. */
export interface Services {
  identity: CommunicationIdentityClient;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    services: Services;
    /** Set when the answer is an error, for the log line. */
    errorCode?: ErrorCode;
    /** Set when the client went away mid-request, for the log line. */
    aborted?: true;
  };
}

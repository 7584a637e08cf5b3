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
    /** Who authentication let in: `key-<position>` for an API key, the token's appid (or azp) for Entra ID. */
    caller: string;
    /** Set when the answer is an error, for the log line. */
    errorCode?: ErrorCode;
  };
}

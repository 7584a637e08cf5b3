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
    /** Who is calling, set by authentication: an API key's name, or `app:<id>[/user:<oid>]` for Entra ID. */
    caller: string;
    /** Set when the answer is an error, for the log line. */
    errorCode?: ErrorCode;
    /** For the audit in the log line: the ACS user created or acted on, or the Teams user (object id) exchanged for. */
    userId?: string;
    teamsUserId?: string;
    /** The id ACS gave its answer, for the log line: what Azure support asks for about one call. */
    acsRequestId?: string;
    /** Set when the answer is a 500: what failed, for the request's log line (never for the caller). */
    failure?: { error: string; stack?: string };
    /** Set when the client went away mid-request, for the log line. */
    aborted?: true;
  };
}

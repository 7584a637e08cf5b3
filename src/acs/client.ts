import { CommunicationIdentityClient } from "@azure/communication-identity";
import { AzureKeyCredential, type TokenCredential } from "@azure/core-auth";
import type { AcsConfig } from "../config.ts";
import { isLoopbackHost } from "../loopback.ts";
import { deadlinePolicy } from "./deadline-policy.ts";

/** Loopback only: the SDK refuses http:// unless told otherwise, and only a local emulator may be spoken to in clear. */
const isLoopbackEndpoint = (endpoint: string) => isLoopbackHost(new URL(endpoint).host);

export interface IdentityClientOptions {
  timeoutMs: number;
  /** Required for `kind: "entra"`: the Node entry builds it with @azure/identity, so Workers never load that package. */
  credential?: TokenCredential;
}

/** Builds the one CommunicationIdentityClient a process (or Worker isolate) uses for every request. */
export function createIdentityClient(acs: AcsConfig, options: IdentityClientOptions): CommunicationIdentityClient {
  if (new URL(acs.endpoint).protocol === "http:" && !isLoopbackEndpoint(acs.endpoint)) {
    throw new Error("An http:// ACS endpoint is accepted only on loopback (the emulator); use https://.");
  }
  const clientOptions = {
    allowInsecureConnection: isLoopbackEndpoint(acs.endpoint),
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: deadlinePolicy(options.timeoutMs, { coverTokenFetch: acs.kind === "entra" }), position: "perCall" as const }],
  };
  if (acs.kind === "access-key") {
    return new CommunicationIdentityClient(acs.endpoint, new AzureKeyCredential(acs.accessKey), clientOptions);
  }
  if (!options.credential) throw new Error("An ACS endpoint without an access key needs an Entra ID credential.");
  return new CommunicationIdentityClient(acs.endpoint, options.credential, clientOptions);
}

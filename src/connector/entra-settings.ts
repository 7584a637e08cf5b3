import { GUID } from "../guid.ts";

/**
 * What the Entra ID connector's connection needs to know about a deployment: the connector's client app, the tenant,
 * and the service's audience. `npm run connector -- --client-id --tenant-id --audience` gives them; the committed
 * files carry placeholders that look like real values, so they still pass Power Platform's schemas, and the
 * README says to replace them.
 */

export interface EntraConnectorSettings {
  /** The application (client) id of the connector's own app registration. */
  clientId: string;
  /** The directory (tenant) id of the service's ENTRA_TENANT_ID. */
  tenantId: string;
  /** The service's ENTRA_AUDIENCE: the Application ID URI of its app registration, the resource the connection asks for. */
  audience: string;
}

const NIL_GUID = "00000000-0000-0000-0000-000000000000";

export const PLACEHOLDER_ENTRA: EntraConnectorSettings = { clientId: NIL_GUID, tenantId: NIL_GUID, audience: `api://${NIL_GUID}` };

function guid(value: string, what: string): string {
  if (!GUID.test(value)) throw new Error(`Not a valid ${what} (a GUID such as ${NIL_GUID}): ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/**
 * An Application ID URI as Entra ID accepts one (`api://...`, or an https URI on a verified domain): no query, no
 * fragment, nothing that is not printable. Kept as given otherwise, since v1 tokens carry it in `aud` verbatim and
 * the service compares it exactly.
 */
function audience(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok = url && (url.protocol === "api:" || url.protocol === "https:") && url.host !== "" && !/[\s?#]/.test(value) && !/[^\x21-\x7e]/.test(value);
  if (!ok) throw new Error(`Not a valid audience (the service's ENTRA_AUDIENCE, an api:// or https:// Application ID URI): ${JSON.stringify(value)}`);
  return value;
}

export function entraConnectorSettings(given: Partial<EntraConnectorSettings> = {}): EntraConnectorSettings {
  return {
    clientId: guid(given.clientId ?? PLACEHOLDER_ENTRA.clientId, "client id"),
    tenantId: guid(given.tenantId ?? PLACEHOLDER_ENTRA.tenantId, "tenant id"),
    audience: audience(given.audience ?? PLACEHOLDER_ENTRA.audience),
  };
}

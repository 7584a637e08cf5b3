import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { connectorFiles } from "../src/connector/files.ts";
import { parseCli } from "./cli.ts";

/**
 * `npm run connector [-- --host HOST --base-path PATH --client-id ID --tenant-id ID --audience URI --publisher NAME
 * --contact-name NAME --contact-email EMAIL --website URL --privacy-policy URL --out DIR]`: writes connector/ (the API
 * key variant, and the Entra ID variant in entra/) for that host, those app registrations and that publisher;
 * placeholders for what is left out.
 */

const { values, fail } = parseCli({
  script: "connector",
  summary:
    "Writes the Power Platform / Logic Apps connector files (the API key variant, and the Entra ID variant in entra/)\nfor your deployment; a placeholder for each value left out.",
  options: {
    host: { type: "string", value: "HOST", description: "the service's host name, with an optional :port (default: a placeholder)" },
    "base-path": { type: "string", value: "PATH", description: "the path the service sits under behind a proxy (default: /)" },
    "client-id": { type: "string", value: "ID", description: "Entra ID variant: the connector app's application (client) id" },
    "tenant-id": { type: "string", value: "ID", description: "Entra ID variant: your directory (tenant) id" },
    audience: { type: "string", value: "URI", description: "Entra ID variant: the service's ENTRA_AUDIENCE" },
    publisher: { type: "string", value: "NAME", description: "your organisation, which publishes the connector and runs the service" },
    "contact-name": { type: "string", value: "NAME", description: "the support team makers contact" },
    "contact-email": { type: "string", value: "EMAIL", description: "the support team's email" },
    website: { type: "string", value: "URL", description: "your site for the service (https)" },
    "privacy-policy": { type: "string", value: "URL", description: "your privacy policy (https)" },
    out: { type: "string", default: "connector", value: "DIR", description: "the folder to write" },
  },
  example: "--host identities.contoso.com --out my-connector",
});
const given = (value: string | undefined) => value !== undefined;

/** The files, or a one-line error for a value the generator refuses (a host with a scheme, a tenant that is no GUID). */
function generate() {
  try {
    return connectorFiles({
      ...(given(values.host) && { host: values.host }),
      ...(given(values["base-path"]) && { basePath: values["base-path"] }),
      publisher: {
        ...(given(values.publisher) && { name: values.publisher }),
        ...(given(values["contact-name"]) && { contactName: values["contact-name"] }),
        ...(given(values["contact-email"]) && { contactEmail: values["contact-email"] }),
        ...(given(values.website) && { website: values.website }),
        ...(given(values["privacy-policy"]) && { privacyPolicy: values["privacy-policy"] }),
      },
      entra: {
        ...(given(values["client-id"]) && { clientId: values["client-id"] }),
        ...(given(values["tenant-id"]) && { tenantId: values["tenant-id"] }),
        ...(given(values.audience) && { audience: values.audience }),
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const files = generate();
for (const [name, content] of Object.entries(files)) {
  mkdirSync(dirname(join(values.out, name)), { recursive: true });
  writeFileSync(join(values.out, name), content);
}
process.stdout.write(`Wrote ${Object.keys(files).join(", ")} to ${values.out}/\n`);

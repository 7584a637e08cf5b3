import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { connectorFiles } from "../src/connector/files.ts";

/**
 * `npm run connector [-- --host HOST --base-path PATH --client-id ID --tenant-id ID --audience URI --out DIR]`:
 * writes connector/ (the API key variant, and the Entra ID variant in entra/) for that host and those app
 * registrations; placeholders for what is left out.
 */

const given = (value: string | undefined) => value !== undefined;

try {
  const { values } = parseArgs({
    options: {
      host: { type: "string" },
      "base-path": { type: "string" },
      "client-id": { type: "string" },
      "tenant-id": { type: "string" },
      audience: { type: "string" },
      out: { type: "string", default: "connector" },
    },
  });
  const files = connectorFiles({
    ...(given(values.host) && { host: values.host }),
    ...(given(values["base-path"]) && { basePath: values["base-path"] }),
    entra: {
      ...(given(values["client-id"]) && { clientId: values["client-id"] }),
      ...(given(values["tenant-id"]) && { tenantId: values["tenant-id"] }),
      ...(given(values.audience) && { audience: values.audience }),
    },
  });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(values.out, name)), { recursive: true });
    writeFileSync(join(values.out, name), content);
  }
  process.stdout.write(`Wrote ${Object.keys(files).join(", ")} to ${values.out}/\n`);
} catch (error) {
  process.stderr.write(`connector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

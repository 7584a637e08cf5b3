import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connectorFiles } from "../src/connector/files.ts";

/** `npm run connector [-- --host HOST --base-path PATH]`: writes connector/ for that host (default: the placeholder). */

const { values } = parseArgs({
  options: { host: { type: "string" }, "base-path": { type: "string" }, out: { type: "string", default: "connector" } },
});

try {
  const files = connectorFiles({ ...(values.host !== undefined && { host: values.host }), ...(values["base-path"] !== undefined && { basePath: values["base-path"] }) });
  mkdirSync(values.out, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(values.out, name), content);
  process.stdout.write(`Wrote ${Object.keys(files).join(", ")} to ${values.out}/\n`);
} catch (error) {
  process.stderr.write(`connector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

/**
 * What /openapi.json, and so the /docs page, tell about this one run of the Node entry: that it runs on the embedded
 * emulator, and where its API key comes from when none was configured. The connector definition (/swagger.json,
 * connector/) leaves them out: it describes the service, not one developer's run.
 */
export interface RunNotes {
  /** No ACS resource is configured: the embedded emulator answers. */
  emulator: boolean;
  /** No API_KEYS: `npm start` generated the key and printed it once. */
  generatedKey: boolean;
}

const EMULATOR_NOTE =
  "**This instance runs on the embedded ACS emulator.** No Azure Communication Services resource is configured, so the " +
  "users and tokens below are the emulator's, and its tokens are **not valid for Azure**. Set " +
  "`COMMUNICATION_SERVICES_CONNECTION_STRING` to use a real resource.";

const GENERATED_KEY_NOTE =
  "The API key that `npm start` generated for this run and printed once when it started (no `API_KEYS` is set); " + "a new one is made at every start.";

interface Document {
  info: { description?: string };
  components?: { securitySchemes?: Record<string, object> };
}

/** A copy of the document with the notes that apply; the document itself is left as it is. */
export function withRunNotes<D extends Document>(document: D, notes: RunNotes): D {
  const copy = structuredClone(document);
  if (notes.emulator) copy.info.description = `${EMULATOR_NOTE}\n\n${copy.info.description ?? ""}`;
  const apiKey = copy.components?.securitySchemes?.ApiKey;
  if (notes.generatedKey && apiKey) Object.assign(apiKey, { description: GENERATED_KEY_NOTE });
  return copy;
}

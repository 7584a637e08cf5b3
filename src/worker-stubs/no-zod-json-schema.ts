// Stands in for zod's JSON Schema conversion in the Worker bundle (wrangler.toml [alias] maps zod's own
// "../core/json-schema-processors.js" and "../core/to-json-schema.js" imports here). Every zod schema carries a
// toJSONSchema method and one processor per kind, so the conversion stays in any bundle of zod's classic API, about
// 3 KiB gzip; nothing in the Worker converts a schema to JSON Schema (@asteasolutions/zod-to-openapi writes the
// OpenAPI document itself). What zod-to-openapi does read, the checks aggregated into `minLength`, `format` and the
// like, is zod's own code, re-exported. test/worker-bundle.test.ts checks that every processor zod names is here.
export { aggregateChecks } from "../../node_modules/zod/v4/core/json-schema-processors.js";

function unavailable(): never {
  throw new Error("zod's JSON Schema conversion is not in the Worker bundle (src/worker-stubs/no-zod-json-schema.ts).");
}

export const toJSONSchema = unavailable;
export const createToJSONSchemaMethod = () => unavailable;
export const createStandardJSONSchemaMethod = () => unavailable;
export {
  unavailable as anyProcessor,
  unavailable as arrayProcessor,
  unavailable as bigintProcessor,
  unavailable as booleanProcessor,
  unavailable as catchProcessor,
  unavailable as customProcessor,
  unavailable as dateProcessor,
  unavailable as defaultProcessor,
  unavailable as enumProcessor,
  unavailable as fileProcessor,
  unavailable as functionProcessor,
  unavailable as intersectionProcessor,
  unavailable as lazyProcessor,
  unavailable as literalProcessor,
  unavailable as mapProcessor,
  unavailable as nanProcessor,
  unavailable as neverProcessor,
  unavailable as nonoptionalProcessor,
  unavailable as nullProcessor,
  unavailable as nullableProcessor,
  unavailable as numberProcessor,
  unavailable as objectProcessor,
  unavailable as optionalProcessor,
  unavailable as pipeProcessor,
  unavailable as prefaultProcessor,
  unavailable as promiseProcessor,
  unavailable as readonlyProcessor,
  unavailable as recordProcessor,
  unavailable as setProcessor,
  unavailable as stringProcessor,
  unavailable as successProcessor,
  unavailable as symbolProcessor,
  unavailable as templateLiteralProcessor,
  unavailable as transformProcessor,
  unavailable as tupleProcessor,
  unavailable as undefinedProcessor,
  unavailable as unionProcessor,
  unavailable as unknownProcessor,
  unavailable as voidProcessor,
};

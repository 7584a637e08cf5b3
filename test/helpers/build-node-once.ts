import { buildNode } from "../../scripts/build-node.ts";
import { bundleIsStale } from "../../scripts/node-bundle.js";

/** Global setup: the bundle `npm start` runs, built once before the suites start it, rather than by their first starts at once. */
export default async function setup() {
  if (bundleIsStale()) await buildNode();
}

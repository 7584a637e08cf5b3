import type { TestProject } from "vitest/node";
import { startEmulator } from "../../src/emulator/index.ts";

/**
 * Runs on the Node side, outside workerd: the emulator is a Node server. The Worker gets the connection string and
 * an API key as bindings (vitest.worker.config.ts); the tests get the key and the emulator's endpoint, to inject
 * faults and read its request log.
 */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator();
  project.provide("acsConnectionString", emulator.connectionString);
  project.provide("acsEndpoint", emulator.endpoint);
  project.provide("workerApiKey", crypto.randomUUID());
  return () => emulator.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    acsConnectionString: string;
    acsEndpoint: string;
    workerApiKey: string;
  }
}

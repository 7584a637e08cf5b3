import { type Config, type EnvSource, MIN_PRODUCTION_KEY_LENGTH, parseApiKeys } from "./config.ts";

/**
 * What production would refuse but a trial run accepts, said at start so that it is fixed before it matters. None of
 * them repeats a key.
 */
export function configWarnings(env: EnvSource, config: Config): string[] {
  if (config.production) return [];
  const warnings: string[] = [];
  if (env.API_KEYS?.trim() && config.apiKeys.length === 0) {
    warnings.push("API_KEYS holds no key (only commas and spaces), so this run does as if it were unset; give it one or more keys, comma-separated.");
  }
  // The key of a `name:key` entry, as production measures it.
  const short = parseApiKeys(config.apiKeys).filter(({ key }) => key.length < MIN_PRODUCTION_KEY_LENGTH).length;
  if (short > 0) {
    warnings.push(
      `${short === 1 ? "an API key" : `${short} API keys`} in API_KEYS ${short === 1 ? "is" : "are"} shorter than ${MIN_PRODUCTION_KEY_LENGTH} characters, which NODE_ENV=production refuses; make keys with e.g. openssl rand -base64 32.`,
    );
  }
  return warnings;
}

import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";

export const API_KEY_HEADER = "x-api-key";

/**
 * Accepts a caller whose X-API-Key matches one of API_KEYS. Several keys are accepted at once so a key can be
 * rotated without downtime. Every configured key is compared (constant time, by SHA-256 digest) even after a match,
 * so the answer's timing says nothing about which key, or how much of one, was right.
 */
export async function isAcceptedApiKey(offered: string, keys: readonly string[]): Promise<boolean> {
  let accepted = false;
  for (const key of keys) {
    if (await timingSafeEqual(offered, key)) accepted = true;
  }
  return accepted;
}

export function authenticate(apiKeys: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header(API_KEY_HEADER);
    if (offered && (await isAcceptedApiKey(offered, apiKeys))) return next();
    throw new ApiError("unauthorized", offered ? "The X-API-Key header holds a key this service does not accept." : "Send an API key in the X-API-Key header.", {
      headers: { "WWW-Authenticate": 'ApiKey realm="acs-identity-connector", header="X-API-Key"' },
    });
  };
}

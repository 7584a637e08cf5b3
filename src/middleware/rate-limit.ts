import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { responseHeaders } from "../response-headers.ts";

/**
 * A rate limit per caller (RATE_LIMIT_PER_MINUTE): ACS's own limits are per resource and shared by every flow, so one
 * runaway loop must not spend them for all. It runs after authentication, on the caller's name, and refuses before
 * anything reaches ACS. Written here rather than taken from hono-rate-limiter, which speaks only the expired
 * draft-6/7 forms of the IETF RateLimit headers; these follow draft-ietf-httpapi-ratelimit-headers-10.
 */

const WINDOW_SECONDS = 60;
/** The policy's name in the RateLimit-Policy and RateLimit headers. */
const POLICY = '"per-caller"';

export interface RateVerdict {
  allowed: boolean;
  /** Requests left in the caller's window, when the counter knows. */
  remaining?: number;
  /** Seconds until the caller's window starts afresh. */
  resetSeconds: number;
}

/** Counts one request of a caller and says whether it is within the limit. */
export type RateLimiter = (caller: string) => RateVerdict | Promise<RateVerdict>;

/** Cloudflare's rate-limiting binding (wrangler.toml `[[ratelimits]]`), as the Worker receives it. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Windows kept before expired ones are swept: bounds memory when many Entra ID callers come and go. A sweep runs at
 * most once a window, so that 10,000 callers all within theirs do not make every newcomer scan them all.
 */
const SWEEP_AT = 10_000;

/**
 * Counters in this process: a fixed one-minute window per caller, opened by its first request. Each instance (each
 * Node process, each Worker isolate) counts on its own, so N instances let a caller make up to N times the limit.
 */
export function windowLimiter(limit: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = WINDOW_SECONDS * 1000;
  let sweptAt = Number.NEGATIVE_INFINITY;
  return (caller) => {
    const time = now();
    let window = windows.get(caller);
    if (!window || time - window.start >= windowMs) {
      if (windows.size >= SWEEP_AT && time - sweptAt >= windowMs) {
        sweptAt = time;
        for (const [name, open] of windows) if (time - open.start >= windowMs) windows.delete(name);
      }
      window = { start: time, count: 0 };
      windows.set(caller, window);
    }
    window.count++;
    return {
      allowed: window.count <= limit,
      remaining: Math.max(0, limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.start + windowMs - time) / 1000)),
    };
  };
}

/**
 * Counters in Cloudflare's binding, shared by the Worker's isolates in a location. The binding says only yes or no,
 * so the headers tell no remaining count, and a refusal asks the caller to wait a whole period.
 */
export function bindingLimiter(binding: RateLimitBinding): RateLimiter {
  return async (caller) => {
    const { success } = await binding.limit({ key: caller });
    return success ? { allowed: true, resetSeconds: WINDOW_SECONDS } : { allowed: false, remaining: 0, resetSeconds: WINDOW_SECONDS };
  };
}

export function rateLimit(perMinute: number, limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  const policy = `${POLICY};q=${perMinute};w=${WINDOW_SECONDS}`;
  return async (c, next) => {
    const caller = c.get("caller");
    const verdict = await limiter(caller);
    const headers: Record<string, string> = { "ratelimit-policy": policy };
    if (verdict.remaining !== undefined) headers.ratelimit = `${POLICY};r=${verdict.remaining};t=${verdict.resetSeconds}`;
    if (!verdict.allowed) {
      throw new ApiError(
        "rate_limited",
        `This caller (${caller}) went over its limit of ${perMinute} requests per minute; retry after ${verdict.resetSeconds} seconds. Nothing was sent to ACS.`,
        { headers: { ...headers, "Retry-After": String(verdict.resetSeconds) } },
      );
    }
    Object.assign(responseHeaders(c), headers);
    return next();
  };
}

/**
 * A fetch that remembers its last failure (no answer, or an answer other than 200) and fails at once, without a
 * request, until a back-off has passed: first `firstMs`, doubling up to `maxMs` while failures go on, back to
 * `firstMs` after a success. While a key endpoint is down, a flood of callers costs one outbound request per back-off,
 * not one each.
 */

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** The clock; tests pass their own. */
  now?: () => number;
}

export class BackingOff extends Error {
  constructor(cause: unknown) {
    super("The last fetch failed; not retrying until the back-off has passed.", { cause });
    this.name = "BackingOff";
  }
}

export function withFailureBackoff(fetchImpl: typeof fetch, options: BackoffOptions) {
  const now = options.now ?? Date.now;
  let wait = options.firstMs;
  let retryAt = 0;
  let lastFailure: unknown;

  const failed = (error: unknown) => {
    lastFailure = error;
    retryAt = now() + wait;
    wait = Math.min(wait * 2, options.maxMs);
  };

  const gated = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (lastFailure !== undefined && now() < retryAt) throw new BackingOff(lastFailure);
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      failed(error);
      throw error;
    }
    if (response.status === 200) {
      lastFailure = undefined;
      wait = options.firstMs;
    } else {
      failed(new Error(`answered ${response.status}`));
    }
    return response;
  };

  return {
    fetch: gated,
    /** Whole seconds until the next fetch may be tried; 0 when not backing off. */
    retryAfterSeconds: () => (lastFailure === undefined ? 0 : Math.max(0, Math.ceil((retryAt - now()) / 1000))),
  };
}

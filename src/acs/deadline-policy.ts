import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { isRestError } from "@azure/core-rest-pipeline";
import { ApiError } from "../errors.ts";

/**
 * Retries ACS calls under one deadline (README: "Errors", deadline and retries).
 *
 * The SDK's own retry policy knows nothing of ACS_TIMEOUT_MS: it would sleep through a long Retry-After and
 * answer late. So the client is built with `maxRetries: 0` and this policy retries instead: a retry is made only
 * when its wait ends before the deadline; otherwise the last ACS answer stands (a 429 keeps its Retry-After). A
 * call still unanswered at the deadline becomes 504 (see below for how each kind of credential is cut).
 *
 * It sits per call, outside the SDK's authentication policy, so the deadline also covers getting an Entra ID token
 * for ACS, and every retry is signed afresh. There, an error answer arrives as the RestError that the SDK's
 * deserialization throws, carrying the response.
 */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRIES = 3;
const BASE_DELAY_MS = 400;
const MAX_DELAY_MS = 8_000;

export function retryAfterMs(response: PipelineResponse): number | undefined {
  const headers = response.headers;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const retryAfter = headers.get("retry-after");
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(retry: number): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return exponential * (0.8 + Math.random() * 0.4);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No answer at all (connection dropped, refused or reset), unlike an abort, which is not retried. */
function isTransientSendError(error: unknown): boolean {
  return isRestError(error) && error.statusCode === undefined && error.name !== "AbortError";
}

/** An error answer as the SDK throws it: a RestError with the response. */
const answerOf = (error: unknown) => (isRestError(error) ? error.response : undefined);

/**
 * With an access key, each attempt is bounded by the time left to the deadline through `request.timeout`, which the
 * SDK's HTTP client enforces with the controller it makes anyway; an abort signal of this policy's own would add a
 * controller, a timer and listeners to every call (about 12 us of CPU each, measured against the emulator).
 *
 * With a TokenCredential (`coverTokenFetch`), a call starts by getting an Entra ID token, which no HTTP timeout covers
 * and which @azure/identity's managed identity does not abort when asked: there the call gets a signal that fires at
 * the deadline, and is raced against it, so the answer is a 504 at the deadline even while the token is still awaited
 * (that fetch is left to end on its own).
 */
export function deadlinePolicy(timeoutMs: number, { coverTokenFetch = false } = {}): PipelinePolicy {
  return {
    name: "acsDeadlinePolicy",
    async sendRequest(request: PipelineRequest, next) {
      const deadline = Date.now() + timeoutMs;
      const callerSignal = request.abortSignal;
      let controller: AbortController | undefined;
      let timer: NodeJS.Timeout | undefined;
      let expired: Promise<never> | undefined;
      const onCallerAbort = () => controller?.abort();
      if (coverTokenFetch) {
        // One controller and one timer per action, cleared when it ends: AbortSignal.timeout() and AbortSignal.any()
        // would leave a timer and listeners behind for every call until the deadline passed.
        const aborter = new AbortController();
        controller = aborter;
        expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            aborter.abort();
            reject(new Error("The deadline passed."));
          }, timeoutMs);
        });
        // Only ever read through the race below.
        expired.catch(() => {});
        callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
        request.abortSignal = aborter.signal;
      }
      // Nothing but the deadline aborts a call that its caller did not abort.
      const timedOut = (thrown: unknown) =>
        !callerSignal?.aborted && (controller ? controller.signal.aborted : (thrown as { name?: string } | undefined)?.name === "AbortError");
      const attempt = () => (expired ? Promise.race([next(request), expired]) : next(request));

      try {
        for (let retry = 0; ; retry++) {
          let response: PipelineResponse | undefined;
          let error: unknown;
          // At least 1 ms: the SDK's HTTP client takes 0 to mean no timeout at all.
          if (!controller) request.timeout = Math.max(1, deadline - Date.now());
          try {
            response = await attempt();
          } catch (thrown) {
            if (timedOut(thrown)) {
              throw new ApiError("upstream_timeout", `Azure Communication Services did not answer within ${timeoutMs} ms.`, { cause: thrown });
            }
            error = thrown;
          }
          const answer = response ?? answerOf(error);
          const retryable = answer ? RETRYABLE_STATUS.has(answer.status) : isTransientSendError(error);
          // Worked out only for a retry: a success, the usual answer, reads no header and draws no number.
          const wait = retryable && retry < MAX_RETRIES ? ((answer && retryAfterMs(answer)) ?? backoffMs(retry)) : undefined;
          if (wait === undefined || Date.now() + wait >= deadline) {
            if (response) return response;
            throw error;
          }
          await sleep(wait);
          // A timer can wake late: no retry is sent past the deadline, the last answer stands instead.
          if (Date.now() >= deadline) {
            if (response) return response;
            throw error;
          }
        }
      } finally {
        if (controller) {
          clearTimeout(timer);
          callerSignal?.removeEventListener("abort", onCallerAbort);
        }
      }
    },
  };
}

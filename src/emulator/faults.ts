// Injected faults for tests: a FIFO of "the next N ACS requests fail (or are slowed) this way". Each POST adds one
// to the end of the queue; a fault applies to the next requests until its count runs out, then the next one does.
import { acsError, type Reply } from "./errors.ts";

export interface FaultSpec {
  status?: 429 | 500 | 503;
  times: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  drop?: true;
}

interface QueuedFault extends FaultSpec {
  remaining: number;
}

const STATUSES = [429, 500, 503] as const;
const KEYS = new Set(["status", "times", "retryAfterSeconds", "delayMs", "drop"]);

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** Parses a POST /_emulator/faults body; returns the fault or a message saying what is wrong. */
export function parseFault(body: unknown): FaultSpec | string {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "The body must be a JSON object.";
  const input = body as Record<string, unknown>;
  const unknownKey = Object.keys(input).find((key) => !KEYS.has(key));
  if (unknownKey !== undefined) return `Unknown field '${unknownKey}'. Allowed: ${[...KEYS].join(", ")}.`;
  const { status, times, retryAfterSeconds, delayMs, drop } = input;

  if (status !== undefined && !STATUSES.includes(status as 429)) return "status must be 429, 500 or 503.";
  if (!isIntIn(times, 1, 10_000)) return "times must be an integer between 1 and 10000.";
  if (retryAfterSeconds !== undefined && !isIntIn(retryAfterSeconds, 0, 3600)) {
    return "retryAfterSeconds must be an integer between 0 and 3600.";
  }
  if (retryAfterSeconds !== undefined && status === undefined) return "retryAfterSeconds needs a status.";
  if (delayMs !== undefined && !isIntIn(delayMs, 0, 120_000)) return "delayMs must be an integer between 0 and 120000.";
  if (drop !== undefined && drop !== true) return "drop, when given, must be true.";
  // status and drop may come together; with both, the connection is dropped (there is no answer to give).
  if (status === undefined && drop === undefined && delayMs === undefined) {
    return "Give at least one of status, drop or delayMs.";
  }

  const fault: FaultSpec = { times };
  if (status !== undefined) fault.status = status as 429 | 500 | 503;
  if (retryAfterSeconds !== undefined) fault.retryAfterSeconds = retryAfterSeconds;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (drop === true) fault.drop = true;
  return fault;
}

export class FaultQueue {
  readonly #queue: QueuedFault[] = [];

  add(fault: FaultSpec): void {
    this.#queue.push({ ...fault, remaining: fault.times });
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** The faults still to be applied, in order. */
  list(): (FaultSpec & { remaining: number })[] {
    return this.#queue.map((fault) => ({ ...fault }));
  }

  /** Takes one use of the first queued fault, if any. */
  next(): FaultSpec | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#queue.shift();
    const { remaining: _remaining, ...fault } = head;
    return fault;
  }
}

// ASSUMPTION: the real codes and messages of throttling and outages are not documented for ACS Identity;
// these follow common Azure wording.
export function faultReply(fault: FaultSpec & { status: 429 | 500 | 503 }): Reply {
  const reply =
    fault.status === 429
      ? acsError(429, "TooManyRequests", "Too many requests. Retry after the time given in Retry-After.")
      : fault.status === 500
        ? acsError(500, "InternalServerError", "An internal server error occurred.")
        : acsError(503, "ServiceUnavailable", "The service is temporarily unavailable.");
  if (fault.retryAfterSeconds !== undefined) reply.headers = { "Retry-After": String(fault.retryAfterSeconds) };
  return reply;
}

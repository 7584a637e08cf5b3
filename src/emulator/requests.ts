// The log of ACS requests received, for tests that must prove what did (or did not) reach ACS.

export interface LoggedRequest {
  method: string;
  /** The path as received (still percent-encoded), without the query string. */
  path: string;
  /** The status answered; null while unanswered, or when a `drop` fault closed the connection. */
  status: number | null;
  /** The caller's x-ms-client-request-id header, null when absent. */
  clientRequestId: string | null;
  /** How the request was authenticated; null when it was refused (or never got that far). */
  auth: "hmac" | "bearer" | null;
}

// Bounded so that a long-running emulator (npm start without Azure) does not grow without end.
const MAX_ENTRIES = 10_000;

export class RequestLog {
  readonly #entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): LoggedRequest {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
    return entry;
  }

  list(): LoggedRequest[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

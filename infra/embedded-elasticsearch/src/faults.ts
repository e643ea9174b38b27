/**
 * Fault injection for tests: reject bulk items with 429, answer every request 503 for a while, or delay responses.
 * Reachable in-process (`server.faults`) and over HTTP (`POST /_embedded/faults`), for servers run as a child process.
 */
export class Faults {
  private rejectItems = 0;
  private unavailableUntil = 0;
  latencyMs = 0;

  /** The next `count` bulk items (across requests) fail with 429 `es_rejected_execution_exception`. */
  rejectNextBulkItems(count: number): void {
    this.rejectItems = Math.max(0, Math.floor(count));
  }

  /** Every request is answered 503 for `ms` milliseconds from now. */
  unavailableFor(ms: number): void {
    this.unavailableUntil = Date.now() + ms;
  }

  /** Delay added before every response. */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  reset(): void {
    this.rejectItems = 0;
    this.unavailableUntil = 0;
    this.latencyMs = 0;
  }

  /** Consumes one rejection, if any is pending. */
  takeBulkRejection(): boolean {
    if (this.rejectItems === 0) return false;
    this.rejectItems--;
    return true;
  }

  get unavailable(): boolean {
    return Date.now() < this.unavailableUntil;
  }

  snapshot(): { reject_bulk_items: number; unavailable_ms: number; latency_ms: number } {
    return { reject_bulk_items: this.rejectItems, unavailable_ms: Math.max(0, this.unavailableUntil - Date.now()), latency_ms: this.latencyMs };
  }
}

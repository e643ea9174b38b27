export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Failure ratio (0-1] over the window that opens the breaker. */
  failureThreshold: number;
  /** Outcomes needed in the window before the ratio counts. */
  minRequests: number;
  windowMs: number;
  /** How long it stays open before letting one probe through (half-open). */
  openMs: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}

/**
 * A rolling-window circuit breaker. Closed: requests flow; when failures reach the threshold it opens. Open: requests
 * are refused until `openMs` passed, then one probe is let through (half-open): success closes it, failure reopens it.
 */
export class CircuitBreaker {
  private outcomes: Array<{ at: number; ok: boolean }> = [];
  private current: BreakerState = 'closed';
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.openMs) this.transition('half_open');
    return this.current;
  }

  /** True when a request may go to the protected backend now (in half-open: only one probe at a time). */
  tryAcquire(): { allowed: boolean; probe: boolean } {
    const state = this.state;
    if (state === 'closed') return { allowed: true, probe: false };
    if (state === 'half_open' && !this.probing) {
      this.probing = true;
      return { allowed: true, probe: true };
    }
    return { allowed: false, probe: false };
  }

  record(ok: boolean, probe: boolean): void {
    if (probe) {
      this.probing = false;
      this.outcomes = [];
      if (ok) this.transition('closed');
      else this.open();
      return;
    }
    if (this.current !== 'closed') return; // late answers of requests started before it opened
    const t = this.now();
    this.outcomes.push({ at: t, ok });
    while (this.outcomes.length > 0 && (this.outcomes[0] as { at: number }).at <= t - this.options.windowMs) this.outcomes.shift();
    if (this.outcomes.length > 10_000) this.outcomes.splice(0, this.outcomes.length - 10_000);
    const failures = this.outcomes.filter((o) => !o.ok).length;
    if (this.outcomes.length >= this.options.minRequests && failures / this.outcomes.length >= this.options.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.outcomes = [];
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange?.(state);
  }
}

/** A bulk item's result as Elasticsearch reports it. */
export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string | null } | null;
}

/**
 * What to do with one bulk item:
 * - `done`: written (2xx), or a 409 version conflict: a version at least as new is already there, which is the
 *   outcome we wanted (duplicates and late, older events are harmless);
 * - `retry`: 429 (rejected execution, back-pressure) or any 5xx: the same item is sent again, alone with the other
 *   retryable items, after a backoff;
 * - `dead_letter`: any other 4xx (mapping error, bad document): sending it again cannot help.
 */
export type ItemOutcome = 'done' | 'retry' | 'dead_letter';

export function classifyItem(result: BulkItemResult): ItemOutcome {
  const { status } = result;
  if (status >= 200 && status < 300) return 'done';
  if (status === 409) return 'done';
  if (status === 429 || status >= 500) return 'retry';
  return 'dead_letter';
}

/** `status type: reason`, for logs, metrics and the dead-letter header. */
export function describeItemError(result: BulkItemResult): string {
  const type = result.error?.type ?? 'error';
  const reason = result.error?.reason ?? '';
  return `${result.status} ${type}${reason ? `: ${reason}` : ''}`;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniform delay in [0, min(max, initial * 2^(attempt-1))], never below 1 ms. `attempt` starts at 1.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.max(1, Math.round(random() * ceiling));
}

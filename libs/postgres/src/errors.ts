/** Errors of the PostgreSQL adapter: a stable `code` and whether trying again may help. */
export class PostgresAdapterError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PostgresAdapterError';
  }
}

// SQLSTATE classes that a retry can cure: connection exceptions, serialization/deadlock,
// insufficient resources, operator intervention (admin shutdown, crash recovery).
const RETRYABLE_SQLSTATE = /^(08|40|53|57P)/;
const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/** True when an error from the `postgres` client is transient (the server may answer later). */
export function isRetryablePostgresError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NODE_CODES.has(code);
}

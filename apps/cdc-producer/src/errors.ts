/** Errors of the CDC producer: a stable `code`, and whether trying again (after a backoff) may help. */
export class ProducerError extends Error {
  constructor(
    message: string,
    readonly code: ProducerErrorCode,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProducerError';
  }
}

export type ProducerErrorCode =
  | 'REPLICA_IDENTITY_NOT_FULL'
  | 'TABLE_MISSING'
  | 'WAL_LEVEL_NOT_LOGICAL'
  | 'POSTGRES_FATAL'
  | 'KAFKA_FATAL'
  | 'KAFKA_THREAD'
  | 'DECODE_FAILED'
  | 'LEADERSHIP_LOST'
  | 'STOPPED';

/** PostgreSQL SQLSTATEs that no retry can cure: bad credentials, missing database/objects, no privilege, bad settings. */
const FATAL_SQLSTATE = /^(28|3D|42|0A|55000|22023)/;

/** True when a PostgreSQL error (from `pg` or `postgres`) means the configuration or schema is wrong. */
export function isFatalPostgresError(err: unknown): boolean {
  if (err instanceof ProducerError) return !err.retryable;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && FATAL_SQLSTATE.test(code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

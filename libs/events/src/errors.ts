/** Why an input could not become a Change. Never retryable: the same bytes will fail the same way. */
export type EventErrorCode = 'EVENT_UNPARSEABLE' | 'EVENT_INVALID' | 'EVENT_UNSUPPORTED';

/**
 * A record that is not a valid event. `field` is a dotted path into the record value as it arrived (`source.commit_lsn`,
 * `payload.after.content` for a schema-wrapped Debezium event), or `value` / `key` / `headers.<name>` for the record itself;
 * `reason` says what was wrong in words an operator can act on.
 */
export class EventValidationError extends Error {
  readonly retryable = false as const;
  constructor(
    readonly code: EventErrorCode,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${code} at ${field}: ${reason}`);
    this.name = 'EventValidationError';
  }
}

export type LsnErrorCode = 'LSN_INVALID' | 'LSN_VERSION_RANGE';

/** A WAL position that is malformed, out of the 64-bit range, or too large for an exact Elasticsearch version. */
export class LsnError extends Error {
  readonly retryable = false as const;
  constructor(
    readonly code: LsnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LsnError';
  }
}

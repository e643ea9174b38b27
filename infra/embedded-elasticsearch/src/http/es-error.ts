/**
 * An error answered with Elasticsearch's error body:
 * `{"error":{"root_cause":[{type,reason,...}],"type","reason",...},"status":N}`.
 */
export class EsError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
    readonly causedBy?: EsError,
  ) {
    super(`${type}: ${reason}`);
    this.name = 'EsError';
    this.code = type;
    this.retryable = status === 429 || status >= 500;
  }

  /** The `error` object (without `status`), as inside bulk items and error bodies. */
  errorObject(): Record<string, unknown> {
    return {
      type: this.type,
      reason: this.reason,
      ...this.extra,
      ...(this.causedBy ? { caused_by: this.causedBy.errorObject() } : {}),
    };
  }

  body(): Record<string, unknown> {
    const rootCause = { type: this.type, reason: this.reason, ...this.extra };
    return { error: { root_cause: [rootCause], ...this.errorObject() }, status: this.status };
  }

  static unsupported(feature: string): EsError {
    return new EsError(400, 'illegal_argument_exception', `${feature} is not supported by embedded-elasticsearch`);
  }

  static badRequest(reason: string): EsError {
    return new EsError(400, 'illegal_argument_exception', reason);
  }

  static parsing(reason: string): EsError {
    return new EsError(400, 'parsing_exception', reason);
  }

  static indexNotFound(index: string): EsError {
    return new EsError(404, 'index_not_found_exception', `no such index [${index}]`, {
      'resource.type': 'index_or_alias',
      'resource.id': index,
      index_uuid: '_na_',
      index,
    });
  }

  static versionConflict(reason: string, index: string, uuid: string): EsError {
    return new EsError(409, 'version_conflict_engine_exception', reason, { index_uuid: uuid, shard: '0', index });
  }
}

import { Client, errors } from '@elastic/elasticsearch';
import type { BulkOperation } from './bulk-operation';
import type { BulkItemResult } from './item-outcome';

/** The whole request failed (connection refused, timeout, 429/5xx for the request): nothing is known to be written. */
export class ElasticsearchUnavailableError extends Error {
  readonly code = 'ES_UNAVAILABLE';
  readonly retryable = true;
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ElasticsearchUnavailableError';
  }
}

/** The request itself was refused with a 4xx (should never happen; the worker stops that partition rather than drop). */
export class ElasticsearchRequestError extends Error {
  readonly code = 'ES_REQUEST_REJECTED';
  readonly retryable = false;
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ElasticsearchRequestError';
  }
}

export interface ElasticsearchClientOptions {
  url: string;
  username?: string;
  password?: string;
  requestTimeoutMs: number;
}

/** An official client with retries off: the worker decides what to retry, per item. */
export function createElasticsearchClient(options: ElasticsearchClientOptions): Client {
  return new Client({
    node: options.url,
    auth: options.username ? { username: options.username, password: options.password ?? '' } : undefined,
    maxRetries: 0,
    requestTimeout: options.requestTimeoutMs,
    compression: false,
  });
}

/** Maps a client error to the sink's errors: request-level 4xx other than 429 is a request error, the rest unavailability. */
export function toSinkError(err: unknown): Error {
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    if (status === 429 || status >= 500 || status === 0) return new ElasticsearchUnavailableError(`Elasticsearch answered ${status}: ${err.message}`, status);
    return new ElasticsearchRequestError(`Elasticsearch refused the request with ${status}: ${err.message}`, status);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ElasticsearchUnavailableError(`Elasticsearch unreachable: ${message}`);
}

/**
 * The NDJSON request body: the operations' pre-serialised lines, concatenated. The client sends a Buffer as it is (an
 * array of lines it would join into one string, measure and encode again, ~7 us per document).
 */
export function bulkBody(operations: readonly BulkOperation[]): Buffer {
  let total = 0;
  for (const op of operations) total += op.body.length;
  return Buffer.concat(
    operations.map((op) => op.body),
    total,
  );
}

/** Writes batches of operations with one `_bulk` request and reports one result per operation, in order. */
export class ElasticsearchSink {
  constructor(private readonly client: Client) {}

  async write(operations: readonly BulkOperation[]): Promise<BulkItemResult[]> {
    if (operations.length === 0) return [];
    let response;
    try {
      response = await this.client.bulk({ operations: bulkBody(operations) as never, refresh: false });
    } catch (err) {
      throw toSinkError(err);
    }
    if (response.items.length !== operations.length) {
      throw new ElasticsearchRequestError(`bulk answered ${response.items.length} items for ${operations.length} operations`);
    }
    return response.items.map((item) => {
      const result = item.index ?? item.create ?? item.update ?? item.delete;
      if (!result) return { status: 500, error: { type: 'unknown_item', reason: 'bulk item without an action result' } };
      return { status: result.status, error: result.error ? { type: result.error.type, reason: result.error.reason ?? null } : null };
    });
  }

  /** True when the cluster answers (used to probe before resuming paused partitions). */
  async ping(): Promise<boolean> {
    try {
      const health = await this.client.cluster.health({ timeout: '1s' });
      return health.status !== 'red';
    } catch {
      return false;
    }
  }
}

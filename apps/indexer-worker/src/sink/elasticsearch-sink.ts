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

/**
 * The only parts of a `_bulk` answer the worker reads: each item's status and error. Elasticsearch leaves the rest out
 * (`_index`, `_id`, `_version`, `result`, `_shards`, `_seq_no`, ... ~200 bytes per item), so neither side serialises
 * or parses it; Logstash's output asks for the same (`errors,items.*.error,items.*.status`).
 */
const BULK_FILTER_PATH = 'items.*.status,items.*.error';

/** Bounds of one `_bulk` request (the worker's INDEXER_BULK_MAX_DOCS / INDEXER_BULK_MAX_BYTES). */
export interface BulkRequestLimits {
  maxDocs: number;
  maxBytes: number;
}

interface QueuedWrite {
  operations: readonly BulkOperation[];
  bytes: number;
  resolve: (results: BulkItemResult[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes operations with `_bulk` requests and reports one result per operation, in order.
 *
 * Writes handed over in the same event-loop turn share requests: several partitions' chunks made from one fetch go
 * out as one `_bulk` (within `limits`; a single write is never split), which saves a request's fixed cost in the
 * worker and in Elasticsearch when chunks are small (a stream of changes rather than a backlog). Each write still gets
 * exactly its own items' results; if the request fails, every write in it fails with that error. Nothing waits
 * beyond the current turn. Per-partition order is the caller's: a partition never has two writes outstanding.
 */
export class ElasticsearchSink {
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;

  /**
   * @param limits bounds of one request (writes are merged only within them)
   * @param onRequest called with each `_bulk` request's duration in seconds, whether it succeeded or not
   */
  constructor(
    private readonly client: Client,
    private readonly limits: BulkRequestLimits = { maxDocs: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY },
    private readonly onRequest: (seconds: number) => void = () => undefined,
  ) {}

  write(operations: readonly BulkOperation[]): Promise<BulkItemResult[]> {
    if (operations.length === 0) return Promise.resolve([]);
    let bytes = 0;
    for (const op of operations) bytes += op.bytes;
    return new Promise<BulkItemResult[]>((resolve, reject) => {
      this.queued.push({ operations, bytes, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const queued = this.queued;
    this.queued = [];
    let group: QueuedWrite[] = [];
    let docs = 0;
    let bytes = 0;
    for (const write of queued) {
      if (group.length > 0 && (docs + write.operations.length > this.limits.maxDocs || bytes + write.bytes > this.limits.maxBytes)) {
        void this.send(group);
        group = [];
        docs = 0;
        bytes = 0;
      }
      group.push(write);
      docs += write.operations.length;
      bytes += write.bytes;
    }
    if (group.length > 0) void this.send(group);
  }

  /** One request for the group's writes; never rejects (each write's promise carries the outcome). */
  private async send(group: readonly QueuedWrite[]): Promise<void> {
    const operations = group.length === 1 ? group[0].operations : group.flatMap((w) => w.operations);
    let results: BulkItemResult[];
    try {
      results = await this.request(operations);
    } catch (err) {
      for (const write of group) write.reject(err);
      return;
    }
    let at = 0;
    for (const write of group) {
      write.resolve(group.length === 1 ? results : results.slice(at, at + write.operations.length));
      at += write.operations.length;
    }
  }

  private async request(operations: readonly BulkOperation[]): Promise<BulkItemResult[]> {
    let response;
    const started = performance.now();
    try {
      response = await this.client.bulk({ operations: bulkBody(operations) as never, refresh: false, filter_path: BULK_FILTER_PATH });
    } catch (err) {
      throw toSinkError(err);
    } finally {
      this.onRequest((performance.now() - started) / 1000);
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

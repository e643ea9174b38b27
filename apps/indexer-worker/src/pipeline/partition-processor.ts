import { normalize, type Change, type NormalizeOptions } from '@nova/events';
import type { Logger } from '@nova/logger';
import type { DeadLetter, DeadLetterPublisher } from '../dead-letter/dead-letter-publisher';
import type { IndexerMetrics } from '../metrics/indexer-metrics';
import { toBulkOperation, type BulkOperation, type IndexAliases } from '../sink/bulk-operation';
import type { ElasticsearchSink } from '../sink/elasticsearch-sink';
import { backoffDelay, classifyItem, describeItemError, type BackoffOptions } from '../sink/item-outcome';
import type { SourceRecord } from '../source/source-record';
import { chunkLazily, type BatchLimits } from './batch-builder';
import { OffsetTracker } from './offset-tracker';

/** What the Kafka source offers the processor for one partition's batch. */
export interface BatchControl {
  isRunning(): boolean;
  /** True once the partition was revoked or seeked: stop, the records will be processed elsewhere. */
  isStale(): boolean;
  heartbeat(): Promise<void>;
  /** Commits `lastFinishedOffset + 1` for this partition (and moves the fetch position there). */
  commit(lastFinishedOffset: string): Promise<void>;
}

export type BatchOutcome =
  | { kind: 'completed' }
  | { kind: 'interrupted' }
  /** A failure that retrying in place cannot fix now: the partition must pause until Elasticsearch (or Kafka) answers. */
  | { kind: 'blocked'; error: Error };

/** Items kept failing with 429/5xx after every in-place retry. */
export class RetriesExhaustedError extends Error {
  readonly code = 'ES_RETRIES_EXHAUSTED';
  readonly retryable = true;
  constructor(readonly items: number, readonly lastError: string) {
    super(`${items} bulk item(s) still failing after the last retry (${lastError})`);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * What to do with one record. An `index` entry lives until its bulk completes, so it keeps only what is still needed
 * then (the record, the serialised operation, the metric labels and the commit time), not the Change: its fields and
 * the parsed value behind them would otherwise survive every scavenge until the bulk's answer (GC was ~16 % of the
 * worker's busy time in bench:indexer).
 */
type Entry =
  | {
      kind: 'index';
      record: SourceRecord;
      op: BulkOperation;
      entity: Change['entity'];
      operation: Change['operation'];
      /** The event's commit time in ms since the epoch; NaN when unknown or a snapshot read (no commit-to-indexed latency). */
      committedMs: number;
      bytes: number;
    }
  | { kind: 'dead'; record: SourceRecord; code: string; reason: string; bytes: number }
  | { kind: 'skip'; record: SourceRecord; reason: string; bytes: number };

export interface PartitionProcessorOptions {
  normalize: NormalizeOptions;
  aliases: IndexAliases;
  limits: BatchLimits;
  retry: BackoffOptions & { maxAttempts: number };
  sink: ElasticsearchSink;
  deadLetters: DeadLetterPublisher;
  metrics: IndexerMetrics;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Processes one partition's batch in order: per chunk (bounded by count and bytes) normalise its records,
 * dead-letter what is invalid, skip what is to be skipped, bulk-write the rest with per-item retries, and commit the
 * highest contiguous finished offset. Nothing past an unfinished record is ever committed. The next chunk is prepared
 * while the current one's bulk is in flight; it is written only once the current one is finished, without waiting for
 * the current one's commit (commits stay in order, and the batch's last one is awaited before `process` returns).
 */
export class PartitionProcessor {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly commitTimes = new LastTimeParser();

  constructor(private readonly options: PartitionProcessorOptions) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  async process(records: readonly SourceRecord[], control: BatchControl): Promise<BatchOutcome> {
    if (records.length === 0) return { kind: 'completed' };
    this.options.metrics.consumed.inc({ topic: records[0].topic }, records.length);
    const now = new Date();
    const chunks = chunkLazily(
      (function* prepareAll(processor: PartitionProcessor) {
        for (const record of records) yield processor.prepare(record, now);
      })(this),
      this.options.limits,
    );
    let next = chunks.next();
    // The commit of the chunk before, still on its way while this chunk's bulk is written (see below).
    let committing: Promise<void> | undefined;
    while (!next.done) {
      if (!control.isRunning() || control.isStale()) {
        await committing;
        return { kind: 'interrupted' };
      }
      const chunk = next.value;
      const tracker = new OffsetTracker();
      tracker.track(chunk.map((e) => e.record.offset));
      const written = this.processChunk(chunk, tracker, control).then(
        () => null,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
      // Pipelining within the batch: once this chunk's bulk request is on its way (a macrotask turn lets the client
      // write it), prepare the next chunk while Elasticsearch indexes this one. Its bulk is sent only after this one
      // finished, so there is still at most one bulk in flight per partition, in offset order. (Without dead letters
      // `processChunk` hands its bulk to the sink synchronously, so the sink's send, scheduled for the next turn, comes
      // before this wait's end.)
      await yieldToIo();
      next = chunks.next();
      const failure = await written;
      // Commits stay in order: the one before settles before this chunk's is asked for.
      await committing;
      if (failure) {
        const last = tracker.lastFinished();
        if (last !== null) await control.commit(last);
        return { kind: 'blocked', error: failure };
      }
      // Not awaited here: the next chunk's bulk goes out while the broker answers this commit (at least once either
      // way: the next chunk is only ever written after this one finished). Awaited before the next commit and before
      // the batch ends, so a batch's records are committed when `process` returns.
      committing = control.commit(chunk[chunk.length - 1].record.offset);
      committing.catch(() => undefined); // observed by the awaits above and below
    }
    await committing;
    return { kind: 'completed' };
  }

  /** Decodes one record into what to do with it (`now` stamps the document's `indexed_at`). Never throws. */
  prepare(record: SourceRecord, now = new Date()): Entry {
    const result = normalize(record, this.options.normalize);
    const bytes = record.value?.length ?? 0;
    if (result.kind === 'ignored') return { kind: 'skip', record, reason: result.reason, bytes };
    if (result.kind === 'invalid') return { kind: 'dead', record, code: result.error.code, reason: result.error.message, bytes };
    try {
      const change = result.change;
      const op = toBulkOperation(change, this.options.aliases, now);
      const committedMs = !change.committedAt || change.origin.snapshot ? Number.NaN : this.commitTimes.parse(change.committedAt);
      return { kind: 'index', record, op, entity: change.entity, operation: change.operation, committedMs, bytes: op.bytes };
    } catch (err) {
      // e.g. an LSN beyond the range of an Elasticsearch version: no write can ever succeed.
      const e = err as { code?: string; message?: string };
      return { kind: 'dead', record, code: e.code ?? 'EVENT_UNSUPPORTED', reason: e.message ?? String(err), bytes };
    }
  }

  private async processChunk(chunk: Entry[], tracker: OffsetTracker, control: BatchControl): Promise<void> {
    const { metrics, logger } = this.options;
    const first = chunk[0].record;
    // A child logger per chunk only when a line may be written at info or debug; warnings and errors use `logChild()`.
    let child: Logger | undefined;
    const logChild = () => (child ??= logger.child({ component: 'indexer', topic: first.topic, partition: first.partition }));
    const infoEnabled = logger.isInfoEnabled();
    const debugEnabled = logger.isDebugEnabled();
    const log = infoEnabled || debugEnabled ? logChild() : undefined;
    const counts = { indexed: 0, conflicts: 0, skipped: 0, deadLettered: 0, retried: 0 };
    const started = Date.now();
    const indexed = new IndexedTally();

    const letters: DeadLetter[] = [];
    let pending: Array<Extract<Entry, { kind: 'index' }>> = [];
    for (const entry of chunk) {
      if (entry.kind === 'skip') {
        metrics.skipped.inc({ reason: entry.reason });
        counts.skipped++;
        tracker.finish(entry.record.offset);
      } else if (entry.kind === 'dead') {
        letters.push({ record: entry.record, code: entry.code, reason: entry.reason });
      } else {
        pending.push(entry);
      }
    }
    // Awaited only when there is something to publish: without a dead letter the bulk below is handed to the sink in the
    // same turn as the chunk was made, so it goes out before the next chunk is prepared (see `process`).
    if (letters.length > 0) await this.deadLetter(letters, tracker, logChild());
    counts.deadLettered += letters.length;

    for (let attempt = 1; pending.length > 0; attempt++) {
      const results = await this.options.sink.write(pending.map((p) => p.op));
      metrics.elasticsearchUp.set(1);
      const retry: typeof pending = [];
      const rejected: DeadLetter[] = [];
      let lastRetryError = '';
      const nowMs = Date.now();
      results.forEach((result, i) => {
        const entry = pending[i];
        const outcome = classifyItem(result);
        if (outcome === 'done') {
          tracker.finish(entry.record.offset);
          const conflict = result.status === 409;
          if (conflict) counts.conflicts++;
          else counts.indexed++;
          indexed.add(entry, conflict ? 'stale' : 'written');
          if (Number.isFinite(entry.committedMs)) metrics.commitToIndexed.observe(Math.max(0, (nowMs - entry.committedMs) / 1000));
          if (debugEnabled && log) {
            log.debug('Indexed message into Elasticsearch', {
              offset: entry.record.offset,
              id: entry.op.id,
              index: entry.op.index,
              version: entry.op.version,
              status: result.status,
              appendToIndexedMs: nowMs - Number(entry.record.timestamp),
            });
          }
        } else if (outcome === 'retry') {
          lastRetryError = describeItemError(result);
          metrics.retried.inc({ status: String(result.status) });
          retry.push(entry);
        } else {
          const reason = describeItemError(result);
          logChild().error('Failed to index message', { offset: entry.record.offset, id: entry.op.id, reason, action: 'dead_letter' });
          rejected.push({ record: entry.record, code: 'ES_REJECTED', reason });
        }
      });
      indexed.flush(metrics);
      if (rejected.length > 0) await this.deadLetter(rejected, tracker, logChild());
      counts.deadLettered += rejected.length;
      pending = [];
      for (const entry of retry) {
        if (superseded(entry, chunk, retry, tracker)) {
          // A later change of the same document at a version at least as high is written (or being retried after this
          // one): sending this one again could only overwrite it at an equal version.
          tracker.finish(entry.record.offset);
          indexed.add(entry, 'superseded');
        } else {
          pending.push(entry);
        }
      }
      indexed.flush(metrics);
      if (pending.length === 0) break;
      counts.retried += pending.length;
      if (attempt >= this.options.retry.maxAttempts) throw new RetriesExhaustedError(pending.length, lastRetryError);
      const delay = backoffDelay(attempt, this.options.retry);
      logChild().warn('Failed to index message', { items: pending.length, reason: lastRetryError, attempt, retryInMs: delay, action: 'retry' });
      await this.sleep(delay);
      await control.heartbeat();
    }

    if (infoEnabled && log) {
      log.info('Indexed message into Elasticsearch', {
        ...counts,
        records: chunk.length,
        firstOffset: first.offset,
        lastOffset: chunk[chunk.length - 1].record.offset,
        tookMs: Date.now() - started,
      });
    }
  }

  private async deadLetter(letters: DeadLetter[], tracker: OffsetTracker, log: Logger): Promise<void> {
    if (letters.length === 0) return;
    await this.options.deadLetters.publish(letters);
    for (const letter of letters) {
      tracker.finish(letter.record.offset);
      this.options.metrics.deadLettered.inc({ reason: letter.code });
      log.warn('Record sent to the dead-letter topic', {
        offset: letter.record.offset,
        code: letter.code,
        reason: letter.reason,
        dlqTopic: this.options.deadLetters.topicFor(letter.record.topic),
      });
    }
  }
}

/**
 * `Date.parse` of the last commit time seen: the changes of one transaction share it, and parsing an ISO time with
 * microseconds costs ~0.5 us per document.
 */
export class LastTimeParser {
  private lastText = '';
  private lastMs = Number.NaN;

  parse(text: string): number {
    if (text !== this.lastText) {
      this.lastMs = Date.parse(text);
      this.lastText = text;
    }
    return this.lastMs;
  }
}

type IndexEntry = Extract<Entry, { kind: 'index' }>;
type IndexedResult = 'written' | 'stale' | 'superseded';

/** Counts a bulk's outcomes per label set, so the counter is incremented once per set rather than once per document. */
class IndexedTally {
  private readonly counts = new Map<string, { entity: string; operation: string; result: IndexedResult; n: number }>();

  add(labels: { entity: string; operation: string }, result: IndexedResult): void {
    const key = `${labels.entity}/${labels.operation}/${result}`;
    const entry = this.counts.get(key);
    if (entry) entry.n++;
    else this.counts.set(key, { entity: labels.entity, operation: labels.operation, result, n: 1 });
  }

  flush(metrics: IndexerMetrics): void {
    for (const { n, ...labels } of this.counts.values()) metrics.indexed.inc(labels, n);
    this.counts.clear();
  }
}

/** True when a later record of the chunk writes the same document at a version at least as high and is done or pending. */
function superseded(entry: IndexEntry, chunk: readonly Entry[], retry: readonly IndexEntry[], tracker: OffsetTracker): boolean {
  if (entry.op.version === null) return false;
  const offset = BigInt(entry.record.offset);
  return chunk.some(
    (other) =>
      other.kind === 'index' &&
      other !== entry &&
      other.op.id === entry.op.id &&
      other.op.index === entry.op.index &&
      other.op.version !== null &&
      other.op.version >= (entry.op.version as number) &&
      BigInt(other.record.offset) > offset &&
      (retry.includes(other) || tracker.isFinished(other.record.offset)),
  );
}

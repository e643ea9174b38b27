import { CompressionTypes } from 'kafkajs';
import type { Logger } from '@nova/logger';
import type { OutboundEvent } from '../events/change-mapper';
import { ProducerError, errorMessage } from '../errors';
import { backoffMs, sleep } from '../pipeline/backoff';
import { kafkaErrorType } from './kafka-errors';
import { RecordBatch } from './record-batch';
import type { BatchProducer } from './threaded-producer';

export interface KafkaSinkOptions {
  /** A new idempotent producer (acks=all, one request in flight); called again after the sink resets one. */
  createProducer(): BatchProducer;
  logger: Logger;
  compression: 'none' | 'gzip';
  batchMaxMessages: number;
  batchMaxBytes: number;
  lingerMs: number;
  maxInFlightEvents: number;
  maxInFlightBytes: number;
  /** Every event up to and including `lastSeq` is acknowledged by Kafka (acks=all); `published`: the batch per topic. */
  onAcked(published: ReadonlyArray<{ topic: string; count: number }>, lastSeq: number): void;
  /** A send failed and will be retried. */
  onRetry(err: unknown): void;
  /** An error no retry can cure (e.g. a record larger than the broker accepts). */
  onFatal(err: ProducerError): void;
}

// Broker answers that resending cannot cure.
const FATAL_KAFKA = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
]);
// The idempotent producer's state is out of step with the broker: start a new producer (new producer id).
const RESET_PRODUCER = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/**
 * The Kafka side of the pipeline: an idempotent kafkajs producer (acks=all) fed in WAL order. Events are batched,
 * bounded in count, bytes and time (linger); one batch is in flight at a time, so events reach each partition in the
 * order they were read. A failed batch is resent (with backoff, forever) before anything after it, which keeps per-key
 * order and at-least-once. Capacity (events and bytes not yet acknowledged) is bounded: callers wait for room.
 */
export class KafkaSink {
  private producer: BatchProducer | undefined;
  /** Batches not yet sent, oldest first; only the last one still takes events. */
  private readonly batches: RecordBatch[] = [];
  /** Buffers of acknowledged batches, for the next ones. */
  private readonly spareBuffers: Buffer[] = [];
  private nextSeq = 1;
  private acked = 0;
  private pendingBytes = 0;
  private pumping = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: Array<() => void> = [];
  private readonly log: Logger;

  constructor(private readonly options: KafkaSinkOptions) {
    this.log = options.logger.child({ component: 'kafka-sink' });
  }

  /** Connects the producer, retrying with backoff until the broker answers (or the sink is stopped). */
  async start(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        this.producer ??= this.options.createProducer();
        await this.producer.connect();
        return;
      } catch (err) {
        if (err instanceof ProducerError && !err.retryable) throw err;
        this.options.onRetry(err);
        this.log.warn('Kafka producer could not connect; retrying', { attempt, err: errorMessage(err) });
        await this.resetProducer();
        await sleep(backoffMs(attempt));
      }
    }
  }

  /** Sequence number of the last event handed to the sink. */
  lastSeq(): number {
    return this.nextSeq - 1;
  }

  ackedSeq(): number {
    return this.acked;
  }

  inFlight(): number {
    return this.nextSeq - 1 - this.acked;
  }

  hasCapacity(): boolean {
    return this.inFlight() < this.options.maxInFlightEvents && this.pendingBytes < this.options.maxInFlightBytes;
  }

  /** Resolves once the sink has room for more events (back-pressure). */
  async waitForCapacity(): Promise<void> {
    while (!this.hasCapacity() && !this.stopped) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Queues an event; returns its sequence number. */
  send(event: OutboundEvent): number {
    const seq = this.nextSeq++;
    const { batchMaxMessages, batchMaxBytes } = this.options;
    let open = this.batches[this.batches.length - 1];
    if (!open || !open.fits(event, batchMaxMessages, batchMaxBytes)) {
      const buffer = event.valueBytes > batchMaxBytes ? Buffer.allocUnsafeSlow(event.valueBytes) : (this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(batchMaxBytes));
      this.batches.push((open = new RecordBatch(buffer, Date.now())));
    }
    open.add(event, seq);
    this.pendingBytes += event.bytes;
    this.schedule();
    return seq;
  }

  /** Resolves once Kafka acknowledged every event handed to the sink so far. */
  async flush(): Promise<void> {
    const target = this.lastSeq();
    this.schedule(true);
    while (this.acked < target && !this.stopped) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.wake();
    await this.resetProducer();
  }

  private schedule(now = false): void {
    if (this.pumping || this.stopped || this.batches.length === 0) return;
    const waitMs = this.options.lingerMs - (Date.now() - this.batches[0]!.createdAt);
    const full = this.batches.length > 1 || this.batches[0]!.count >= this.options.batchMaxMessages;
    if (now || full || waitMs <= 0) {
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
      void this.pump();
    } else if (!this.lingerTimer) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.schedule(true);
      }, waitMs);
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.stopped && this.batches.length > 0) {
        const batch = this.batches.shift()!;
        const started = Date.now();
        await this.sendWithRetry(batch);
        this.log.debug('Batch acknowledged', { events: batch.count, ms: Date.now() - started, batchesQueued: this.batches.length });
        if (this.stopped) return;
        this.acked = batch.lastSeq;
        this.pendingBytes -= batch.bytes;
        this.options.onAcked(batch.published(), batch.lastSeq);
        if (batch.buffer.length === this.options.batchMaxBytes && this.spareBuffers.length < 2) this.spareBuffers.push(batch.buffer);
        this.wake();
        // Let more events accumulate while they are few and young (linger), unless someone waits on a flush.
        const next = this.batches[0];
        if (this.batches.length === 1 && next!.count < this.options.batchMaxMessages && this.waiters.length === 0) {
          const waitMs = this.options.lingerMs - (Date.now() - next!.createdAt);
          if (waitMs > 0) break;
        }
      }
    } catch (err) {
      const fatal = err instanceof ProducerError ? err : new ProducerError(`Kafka sink failed: ${errorMessage(err)}`, 'KAFKA_FATAL', false, { cause: err });
      this.options.onFatal(fatal);
      return;
    } finally {
      this.pumping = false;
    }
    this.schedule();
  }

  private async sendWithRetry(batch: RecordBatch): Promise<void> {
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (!this.producer) await this.start();
        await this.producer!.send(batch.pack(-1, compression));
        if (attempt > 0) this.log.info('Kafka send succeeded after retries', { attempts: attempt + 1 });
        return;
      } catch (err) {
        if (err instanceof ProducerError && !err.retryable) throw err;
        const type = kafkaErrorType(err);
        if (type && FATAL_KAFKA.has(type)) {
          throw new ProducerError(`Kafka refused a batch (${type}); resending cannot help: ${errorMessage(err)}`, 'KAFKA_FATAL', false, { cause: err });
        }
        this.options.onRetry(err);
        this.log.warn('Kafka send failed; retrying', { attempt, type, err: errorMessage(err), events: batch.count });
        if ((type && RESET_PRODUCER.has(type)) || attempt % 3 === 2) await this.resetProducer();
        await sleep(backoffMs(attempt));
      }
    }
  }

  private async resetProducer(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.disconnect().catch(() => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

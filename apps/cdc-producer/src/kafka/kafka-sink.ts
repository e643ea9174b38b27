import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from '@nova/logger';
import { JavaCompatiblePartitioner } from '@nova/kafka';
import type { OutboundEvent } from '../events/change-mapper';
import { ProducerError, errorMessage } from '../errors';
import { backoffMs, sleep } from '../pipeline/backoff';

export interface KafkaSinkOptions {
  kafka: Kafka;
  logger: Logger;
  compression: 'none' | 'gzip';
  batchMaxMessages: number;
  batchMaxBytes: number;
  lingerMs: number;
  maxInFlightEvents: number;
  maxInFlightBytes: number;
  /** Every event up to and including `lastSeq` is acknowledged by Kafka (acks=all). */
  onAcked(batch: readonly OutboundEvent[], lastSeq: number): void;
  /** A send failed and will be retried. */
  onRetry(err: unknown): void;
  /** An error no retry can cure (e.g. a record larger than the broker accepts). */
  onFatal(err: ProducerError): void;
}

interface Queued {
  seq: number;
  event: OutboundEvent;
  at: number;
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
  private producer: Producer | undefined;
  private readonly queue: Queued[] = [];
  private queueHead = 0;
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
        this.producer ??= this.options.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: JavaCompatiblePartitioner,
          retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
        });
        await this.producer.connect();
        return;
      } catch (err) {
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
    this.queue.push({ seq, event, at: Date.now() });
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

  private queued(): number {
    return this.queue.length - this.queueHead;
  }

  private schedule(now = false): void {
    if (this.pumping || this.stopped || this.queued() === 0) return;
    const waitMs = this.options.lingerMs - (Date.now() - this.queue[this.queueHead]!.at);
    const full = this.queued() >= this.options.batchMaxMessages || this.pendingBytes >= this.options.batchMaxBytes;
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
      while (!this.stopped && this.queued() > 0) {
        const batch = this.takeBatch();
        const started = Date.now();
        await this.sendWithRetry(batch.map((q) => q.event));
        this.log.debug('Batch acknowledged', { events: batch.length, ms: Date.now() - started, queued: this.queued() });
        if (this.stopped) return;
        const last = batch[batch.length - 1]!.seq;
        this.acked = last;
        for (const q of batch) this.pendingBytes -= q.event.bytes;
        this.options.onAcked(
          batch.map((q) => q.event),
          last,
        );
        this.wake();
        // Let more events accumulate while they are few and young (linger), unless someone waits on a flush.
        if (this.queued() > 0 && this.queued() < this.options.batchMaxMessages && this.waiters.length === 0) {
          const waitMs = this.options.lingerMs - (Date.now() - this.queue[this.queueHead]!.at);
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

  private takeBatch(): Queued[] {
    const batch: Queued[] = [];
    let bytes = 0;
    while (this.queueHead < this.queue.length && batch.length < this.options.batchMaxMessages) {
      const next = this.queue[this.queueHead]!;
      if (batch.length > 0 && bytes + next.event.bytes > this.options.batchMaxBytes) break;
      batch.push(next);
      bytes += next.event.bytes;
      this.queueHead++;
    }
    if (this.queueHead > 4096) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return batch;
  }

  private async sendWithRetry(events: OutboundEvent[]): Promise<void> {
    // An OutboundEvent is a kafkajs Message (key, value) with two more fields kafkajs ignores: no copy.
    const byTopic = new Map<string, Message[]>();
    for (const e of events) {
      let list = byTopic.get(e.topic);
      if (!list) byTopic.set(e.topic, (list = []));
      list.push(e);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (!this.producer) await this.start();
        await this.producer!.sendBatch({ topicMessages, acks: -1, compression });
        if (attempt > 0) this.log.info('Kafka send succeeded after retries', { attempts: attempt + 1 });
        return;
      } catch (err) {
        const type = kafkaErrorType(err);
        if (type && FATAL_KAFKA.has(type)) {
          throw new ProducerError(`Kafka refused a batch (${type}); resending cannot help: ${errorMessage(err)}`, 'KAFKA_FATAL', false, { cause: err });
        }
        this.options.onRetry(err);
        this.log.warn('Kafka send failed; retrying', { attempt, type, err: errorMessage(err), events: events.length });
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

/** The Kafka error name (e.g. `MESSAGE_TOO_LARGE`) of a kafkajs error, looking through retry wrappers. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (let e = err as { type?: unknown; originalError?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.type === 'string') return e.type;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

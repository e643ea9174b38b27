import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogEntry } from 'kafkajs';
import { kafkaLogRouter } from '@nova/kafka';
import type { Logger } from '@nova/logger';
import { ProducerError } from '../errors';
import { KafkaCallError, type KafkaFailure } from './kafka-errors';
import type { PackedBatch } from './record-batch';

/** What the sink needs of a producer: an idempotent kafkajs producer (acks=all, one request in flight). */
export interface BatchProducer {
  connect(): Promise<void>;
  /** Resolves once Kafka acknowledged every record of the batch. */
  send(batch: PackedBatch): Promise<void>;
  disconnect(): Promise<void>;
}

/** What the send thread needs to build its kafkajs client (plain data: it is copied into the thread). */
export interface SendThreadSettings {
  brokers: string[];
  clientId: string;
}

type ThreadCall = { kind: 'connect' } | { kind: 'disconnect' } | ({ kind: 'send' } & PackedBatch);
export type ThreadRequest = ThreadCall & { id: number };

export type ThreadReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; failure: KafkaFailure }
  | { kind: 'log'; entry: Pick<LogEntry, 'level' | 'log'> };

// Bundled, the thread is an entry point of its own (project.json: dist/apps/cdc-producer/kafka/kafka-send-thread.js
// beside main.js); from source (tests, tsx) the thread first registers tsx's loader.
const FROM_SOURCE = __filename.endsWith('.ts');
const THREAD_ENTRY = FROM_SOURCE
  ? `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'kafka-send-thread.ts'))});`
  : path.join(__dirname, 'kafka', 'kafka-send-thread.js');

/**
 * A kafkajs producer that runs in a worker thread of its own. Encoding record batches (kafkajs builds every record in
 * zero-filled buffers it grows by copying, and checksums each batch in JavaScript) is about a third of the producer's
 * CPU; in its own thread it runs beside the main thread's WAL decoding and event building instead of after it.
 * Semantics are kafkajs's own: each call resolves when the thread's producer resolves (for a send: acknowledged by
 * Kafka per `acks`) and rejects with the thread's error (its Kafka error name kept as `type`). If the thread dies,
 * every pending and later call rejects (with a fatal ProducerError if it died before it ran); `disconnect()` ends it.
 */
export class ThreadedProducer implements BatchProducer {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private nextId = 1;
  private dead: Error | undefined;
  /** The thread loaded its code (its `ready` message). */
  private online = false;

  constructor(settings: SendThreadSettings, logger: Logger) {
    const route = kafkaLogRouter(logger);
    this.worker = new Worker(THREAD_ENTRY, { eval: FROM_SOURCE, workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 } });
    this.worker.on('message', (reply: ThreadReply) => {
      if (reply.kind === 'log') return route(reply.entry);
      if (reply.kind === 'ready') return void (this.online = true);
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.kind === 'done') call?.resolve();
      else call?.reject(new KafkaCallError(reply.failure));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the Kafka send thread exited (code ${code})`)));
  }

  connect(): Promise<void> {
    return this.call({ kind: 'connect' });
  }

  /** Sends a batch; its values buffer moves to the thread (pack again to resend). */
  send(batch: PackedBatch): Promise<void> {
    return this.call({ kind: 'send', ...batch }, [batch.values]);
  }

  async disconnect(): Promise<void> {
    try {
      if (!this.dead) await this.call({ kind: 'disconnect' });
    } catch {
      // The thread is ended below either way.
    } finally {
      await this.worker.terminate();
    }
  }

  private call(request: ThreadCall, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private fail(err: Error): void {
    // A thread that dies before it ran (its code cannot load) is a broken installation, not a Kafka outage.
    this.dead ??= this.online ? err : new ProducerError(`the Kafka send thread could not start: ${err.message}`, 'KAFKA_THREAD', false, { cause: err });
    for (const call of this.pending.values()) call.reject(this.dead);
    this.pending.clear();
  }
}

import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '@nova/logger';
import type { IndexerMetrics } from '../metrics/indexer-metrics';
import type { BatchControl, BatchOutcome } from '../pipeline/partition-processor';
import { CommitCoalescer } from './commit-coalescer';
import type { SourceRecord } from './source-record';

export interface KafkaSourceOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Consumer group members this process runs (each with its own fetch loop). */
  members: number;
  partitionsConcurrency: number;
  fetchMaxBytes: number;
  fetchMaxBytesPerPartition: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  logger: Logger;
  metrics: IndexerMetrics;
}

export type BatchHandler = (records: SourceRecord[], control: BatchControl) => Promise<BatchOutcome>;
export type BlockedHandler = (topic: string, partition: number, error: Error) => void;
export type SourceState = 'starting' | 'joined' | 'rebalancing' | 'crashed' | 'stopped';

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
/** The state reported for several members: the first of these any member is in, else `joined`. */
const STATE_PRIORITY: SourceState[] = ['crashed', 'stopped', 'rebalancing', 'starting'];

/**
 * The Kafka side of the pipeline: consumer group members with auto-commit off that hand each partition's fetched
 * batch to the handler and commit exactly what the handler reports finished. kafkajs runs at most one batch per
 * partition at a time, several partitions at once, and fetches again only when every batch of the previous fetch is
 * done, so one member's fetches never overlap its own bulk requests. Several members in one process (`members`) each
 * own a share of the partitions and run their own fetch loop: one member fetches and prepares while another's bulk
 * is in Elasticsearch. Each is a full member (its own rebalances, commits, pauses), exactly as if it ran in a process
 * of its own, so every guarantee of one member holds for each. A blocked partition is paused until `resumeAll()`.
 */
export class KafkaSource {
  readonly consumers: Consumer[];
  private readonly states: SourceState[];
  private readonly paused = new Map<string, { topic: string; partition: number; consumer: Consumer }>();
  private readonly running = new Set<Consumer>();
  private readonly log: Logger;

  constructor(private readonly options: KafkaSourceOptions) {
    this.log = options.logger.child({ component: 'kafka-source' });
    if (options.members < 1) throw new RangeError('a Kafka source needs at least one consumer group member');
    this.states = Array.from({ length: options.members }, () => 'starting' as SourceState);
    this.consumers = this.states.map((_, member) => this.createConsumer(member));
  }

  private createConsumer(member: number): Consumer {
    const { options } = this;
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: Math.max(options.sessionTimeoutMs, 10_000),
      maxWaitTimeInMs: 250,
      maxBytes: options.fetchMaxBytes,
      maxBytesPerPartition: options.fetchMaxBytesPerPartition,
      // Never give up on the broker: kafkajs restarts the consumer after a crash (the original waited 1 s and retried).
      retry: { initialRetryTime: 300, retries: 8, restartOnFailure: async () => true },
    });
    const { GROUP_JOIN, CRASH, REBALANCING, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, (e) => {
      this.states[member] = 'joined';
      this.options.metrics.consumerLag.reset();
      this.log.info('Joined consumer group', { groupId: e.payload.groupId, memberId: e.payload.memberId, member, assignment: e.payload.memberAssignment });
    });
    consumer.on(REBALANCING, () => {
      this.states[member] = 'rebalancing';
    });
    consumer.on(CRASH, (e) => {
      this.states[member] = 'crashed';
      this.log.error('Kafka error', { err: e.payload.error, restart: e.payload.restart, member });
    });
    consumer.on(STOP, () => {
      this.states[member] = 'stopped';
    });
    return consumer;
  }

  get state(): SourceState {
    return STATE_PRIORITY.find((s) => this.states.includes(s)) ?? 'joined';
  }

  get pausedCount(): number {
    return this.paused.size;
  }

  /** Starts every member not running yet (they join the group together); may be called again after a failure. */
  async start(onBatch: BatchHandler, onBlocked: BlockedHandler): Promise<void> {
    await Promise.all(this.consumers.filter((c) => !this.running.has(c)).map((consumer) => this.run(consumer, onBatch, onBlocked)));
  }

  private async run(consumer: Consumer, onBatch: BatchHandler, onBlocked: BlockedHandler): Promise<void> {
    // The member's partitions that finish in the same turn (their chunks shared a bulk request) commit in one request.
    const commits = new CommitCoalescer();
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrency,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale, pause }) => {
        const { topic, partition } = batch;
        const records: SourceRecord[] = batch.messages.map((m) => ({
          topic,
          partition,
          offset: m.offset,
          key: m.key ?? null,
          value: m.value ?? null,
          headers: m.headers ?? {},
          timestamp: m.timestamp,
        }));
        const control: BatchControl = {
          isRunning,
          isStale,
          heartbeat,
          commit: async (lastFinished) => {
            const next = (BigInt(lastFinished) + 1n).toString();
            resolveOffset(lastFinished);
            await commits.commit(topic, partition, next, commitOffsetsIfNecessary);
            const lag = BigInt(batch.highWatermark) - BigInt(next);
            this.options.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
          },
        };
        const outcome = await onBatch(records, control);
        if (outcome.kind === 'blocked') {
          pause();
          this.paused.set(key(topic, partition), { topic, partition, consumer });
          this.options.metrics.pausedPartitions.set(this.paused.size);
          onBlocked(topic, partition, outcome.error);
        }
      },
    });
    this.running.add(consumer);
  }

  /** Resumes every partition paused after a blocked batch; kafkajs fetches again from the last resolved offset. */
  resumeAll(): void {
    if (this.paused.size === 0) return;
    for (const consumer of this.consumers) {
      const byTopic = new Map<string, number[]>();
      for (const p of this.paused.values()) if (p.consumer === consumer) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
      if (byTopic.size > 0) consumer.resume([...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
    }
    this.log.info('Resumed partitions', { partitions: [...this.paused.values()].map(({ topic, partition }) => ({ topic, partition })) });
    this.paused.clear();
    this.options.metrics.pausedPartitions.set(0);
  }

  /** Each member waits for its batch in flight to finish (it stops between chunks), then leaves the group. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect()));
    this.states.fill('stopped');
  }
}

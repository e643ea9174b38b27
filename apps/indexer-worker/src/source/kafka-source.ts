import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '@nova/logger';
import type { IndexerMetrics } from '../metrics/indexer-metrics';
import type { BatchControl, BatchOutcome } from '../pipeline/partition-processor';
import type { SourceRecord } from './source-record';

export interface KafkaSourceOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
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

/**
 * The Kafka side of the pipeline: a consumer group member with auto-commit off that hands each partition's fetched
 * batch to the handler (kafkajs runs at most one batch per partition at a time, several partitions at once) and
 * commits exactly what the handler reports finished. A blocked partition is paused until `resumeAll()`.
 */
export class KafkaSource {
  readonly consumer: Consumer;
  private stateValue: SourceState = 'starting';
  private readonly paused = new Map<string, { topic: string; partition: number }>();
  private readonly log: Logger;

  constructor(private readonly options: KafkaSourceOptions) {
    this.log = options.logger.child({ component: 'kafka-source' });
    this.consumer = options.kafka.consumer({
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
    const { GROUP_JOIN, CRASH, REBALANCING, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (e) => {
      this.stateValue = 'joined';
      this.options.metrics.consumerLag.reset();
      this.log.info('Joined consumer group', { groupId: e.payload.groupId, memberId: e.payload.memberId, assignment: e.payload.memberAssignment });
    });
    this.consumer.on(REBALANCING, () => {
      this.stateValue = 'rebalancing';
    });
    this.consumer.on(CRASH, (e) => {
      this.stateValue = 'crashed';
      this.log.error('Kafka error', { err: e.payload.error, restart: e.payload.restart });
    });
    this.consumer.on(STOP, () => {
      this.stateValue = 'stopped';
    });
  }

  get state(): SourceState {
    return this.stateValue;
  }

  get pausedCount(): number {
    return this.paused.size;
  }

  async start(onBatch: BatchHandler, onBlocked: BlockedHandler): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning });
    await this.consumer.run({
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
            await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
            const lag = BigInt(batch.highWatermark) - BigInt(next);
            this.options.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
          },
        };
        const outcome = await onBatch(records, control);
        if (outcome.kind === 'blocked') {
          pause();
          this.paused.set(key(topic, partition), { topic, partition });
          this.options.metrics.pausedPartitions.set(this.paused.size);
          onBlocked(topic, partition, outcome.error);
        }
      },
    });
  }

  /** Resumes every partition paused after a blocked batch; kafkajs fetches again from the last resolved offset. */
  resumeAll(): void {
    if (this.paused.size === 0) return;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of this.paused.values()) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    this.consumer.resume([...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
    this.log.info('Resumed partitions', { partitions: [...this.paused.values()] });
    this.paused.clear();
    this.options.metrics.pausedPartitions.set(0);
  }

  /** Waits for the batch in flight to finish (it stops between chunks), then leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.stateValue = 'stopped';
  }
}

/** What one OffsetCommit request carries (kafkajs's `commitOffsetsIfNecessary(offsets)` argument). */
export interface OffsetsByTopic {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}

export type SendCommit = (offsets: OffsetsByTopic) => Promise<void>;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One consumer group member's offset commits, coalesced: commits asked for in the same event-loop turn (the
 * partitions whose chunks shared one bulk request finish together) go to the broker as one OffsetCommit request instead
 * of one request per partition. Each caller's promise settles with that request: resolved once the broker accepted its
 * offset, rejected with the request's error otherwise, exactly as its own request would have. Nothing waits beyond the
 * current turn. A partition's processor awaits each commit before asking for the next, so a request never carries an
 * offset older than one already committed (and of two asked for in one turn, the higher is sent).
 */
export class CommitCoalescer {
  private queued = new Map<string, { topic: string; partition: number; offset: string }>();
  private waiters: Waiter[] = [];
  private send: SendCommit | undefined;

  /** Commits `offset` (the next offset to read) for the partition, through `send` (any batch's of this member). */
  commit(topic: string, partition: number, offset: string, send: SendCommit): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const key = `${topic}\u0000${partition}`;
      const earlier = this.queued.get(key);
      if (!earlier || BigInt(offset) > BigInt(earlier.offset)) this.queued.set(key, { topic, partition, offset });
      this.waiters.push({ resolve, reject });
      if (this.send === undefined) setImmediate(() => void this.flush());
      this.send = send;
    });
  }

  private async flush(): Promise<void> {
    const send = this.send as SendCommit;
    const queued = [...this.queued.values()];
    const waiters = this.waiters;
    this.queued = new Map();
    this.waiters = [];
    this.send = undefined;
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of queued) {
      const partitions = byTopic.get(topic);
      if (partitions) partitions.push({ partition, offset });
      else byTopic.set(topic, [{ partition, offset }]);
    }
    try {
      await send({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
    } catch (err) {
      for (const waiter of waiters) waiter.reject(err);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}

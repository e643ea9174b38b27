import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import type { OutRecord } from './event-story';

export function testKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'indexer-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
}

export async function createTopics(brokers: string[], topics: string[], numPartitions = 3): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}

/** Produces records (idempotent, acks all) in order, in slices. */
export async function produce(brokers: string[], records: readonly OutRecord[], sliceSize = 2_000): Promise<void> {
  const producer = testKafka(brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += sliceSize) {
      const byTopic = new Map<string, OutRecord[]>();
      for (const r of records.slice(i, i + sliceSize)) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers, partition: r.partition })) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** True when the group's committed offsets reached the end of every partition of the topics. */
export async function groupCaughtUp(brokers: string[], groupId: string, topics: string[]): Promise<boolean> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const end of ends) {
        const c = committed.partitions.find((p) => p.partition === end.partition);
        const at = c && c.offset !== '-1' ? BigInt(c.offset) : 0n;
        if (at < BigInt(end.high)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** Reads a whole topic from the beginning with a throwaway group until `count` records arrived. */
export async function readTopic(brokers: string[], topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = testKafka(brokers).consumer({ groupId: `reader-${topic}-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length}/${count} records of ${topic}`)), timeoutMs);
      if (count === 0) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

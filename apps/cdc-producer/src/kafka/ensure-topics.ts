import type { Kafka } from 'kafkajs';

/** Creates the output topics that do not exist yet (partitions and replication factor from config). */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions: number, replicationFactor: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor })), waitForLeaders: true });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface CollectedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  value: {
    event_type: string;
    event_id: string;
    message_id?: string;
    post_id?: string;
    content?: string;
    source: { lsn: string; commit_lsn: string; snapshot: boolean; table: string; tx_id: number | null };
    [k: string]: unknown;
  };
}

/** Reads every record of the topics from the beginning (a consumer group of its own) and keeps them in arrival order. */
export class KafkaCollector {
  readonly events: CollectedEvent[] = [];
  private consumer: Consumer | undefined;

  static async start(brokers: string[], topics: string[]): Promise<KafkaCollector> {
    const c = new KafkaCollector();
    const kafka = new Kafka({ clientId: 'test-collector', brokers, logLevel: logLevel.NOTHING });
    c.consumer = kafka.consumer({ groupId: `collector-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await c.consumer.connect();
    await c.consumer.subscribe({ topics, fromBeginning: true });
    await c.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        c.events.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          headers,
          value: JSON.parse(message.value?.toString() ?? 'null'),
        });
      },
    });
    return c;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

export function topicsFor(prefix: string) {
  return {
    KAFKA_MESSAGE_PERSISTED_TOPIC: `${prefix}.message_persisted`,
    KAFKA_MESSAGE_DELETED_TOPIC: `${prefix}.message_deleted`,
    KAFKA_POST_PERSISTED_TOPIC: `${prefix}.post_persisted`,
    KAFKA_POST_DELETED_TOPIC: `${prefix}.post_deleted`,
  };
}

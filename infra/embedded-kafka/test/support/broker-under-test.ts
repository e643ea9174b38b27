import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Consumer, type ConsumerConfig, type EachMessagePayload, type KafkaMessage, type Producer, type ProducerConfig } from 'kafkajs';
import { startEmbeddedKafka, type EmbeddedKafka, type EmbeddedKafkaOptions } from '../../src';

/**
 * The broker the contract suite talks to: a real Kafka when KAFKA_TEST_BROKERS is set (comma-separated bootstrap
 * addresses), else our embedded broker. Everything the suite asserts goes through kafkajs over TCP either way.
 */
export interface BrokerUnderTest {
  brokers: string[];
  /** null against a real broker: tests that need restart or fault hooks only run against the embedded one. */
  embedded: EmbeddedKafka | null;
  /** Session timeout for consumers: the embedded broker allows short ones; a stock Kafka needs >= 6000 ms. */
  sessionTimeout: number;
  kafka(clientId?: string): Kafka;
  stop(): Promise<void>;
}

export const EXTERNAL_BROKERS = process.env['KAFKA_TEST_BROKERS']?.split(',').filter(Boolean) ?? [];

export async function startBrokerUnderTest(): Promise<BrokerUnderTest> {
  return EXTERNAL_BROKERS.length > 0 ? underTest(null) : embeddedBrokerUnderTest();
}

/** Always the embedded broker (for tests of its own API: restart, fault hooks). */
export async function embeddedBrokerUnderTest(options: EmbeddedKafkaOptions = {}): Promise<BrokerUnderTest> {
  return underTest(await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0, groupMinSessionTimeoutMs: 1000, ...options }));
}

function underTest(embedded: EmbeddedKafka | null): BrokerUnderTest {
  const brokers = embedded ? embedded.brokers : EXTERNAL_BROKERS;
  return {
    brokers,
    embedded,
    sessionTimeout: embedded ? 3000 : 6000,
    kafka: (clientId = 'contract') => new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } }),
    stop: async () => embedded?.stop(),
  };
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function producerConfig(extra: ProducerConfig = {}): ProducerConfig {
  return { createPartitioner: Partitioners.DefaultPartitioner, ...extra };
}

export function consumerConfig(b: BrokerUnderTest, groupId: string, extra: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return { groupId, sessionTimeout: b.sessionTimeout, heartbeatInterval: 300, maxWaitTimeInMs: 200, retry: { retries: 8, initialRetryTime: 100 }, ...extra };
}

export interface Received {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: KafkaMessage['headers'];
}

/** Runs `consumer` and records every message it gets. */
export async function runCollecting(consumer: Consumer, into: Received[], onMessage?: (p: EachMessagePayload) => Promise<void>): Promise<void> {
  await consumer.run({
    eachMessage: async (payload) => {
      const { partition, message } = payload;
      into.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: message.headers });
      await onMessage?.(payload);
    },
  });
}

export async function disconnectAll(...clients: Array<{ disconnect(): Promise<void> } | undefined>): Promise<void> {
  await Promise.allSettled(clients.map((c) => c?.disconnect()));
}

export type { Producer, Consumer };

import type { IHeaders, Message, Producer } from 'kafkajs';
import type { SourceRecord } from '../source/source-record';

export interface DeadLetter {
  record: SourceRecord;
  /** Stable machine-readable kind, e.g. `EVENT_UNPARSEABLE`, `ES_REJECTED`. */
  code: string;
  /** Human-readable reason (which field, what Elasticsearch said). */
  reason: string;
}

export interface DeadLetterOptions {
  /** `<source topic><suffix>` (default `.dlq`) unless `topic` names one topic for all. */
  topicSuffix: string;
  topic?: string;
}

/** Headers added to a dead-lettered record, next to its original headers. */
export const DLQ_HEADERS = {
  reason: 'dlq_reason',
  code: 'dlq_error_code',
  topic: 'dlq_origin_topic',
  partition: 'dlq_origin_partition',
  offset: 'dlq_origin_offset',
  failedAt: 'dlq_failed_at',
} as const;

export function deadLetterTopic(sourceTopic: string, options: DeadLetterOptions): string {
  return options.topic ?? `${sourceTopic}${options.topicSuffix}`;
}

/** The dead-letter record: the original key, value and headers byte for byte, plus the reason and origin. */
export function toDeadLetterMessage(letter: DeadLetter, now: Date = new Date()): Message {
  const { record } = letter;
  const headers: IHeaders = {
    ...record.headers,
    [DLQ_HEADERS.reason]: letter.reason,
    [DLQ_HEADERS.code]: letter.code,
    [DLQ_HEADERS.topic]: record.topic,
    [DLQ_HEADERS.partition]: String(record.partition),
    [DLQ_HEADERS.offset]: record.offset,
    [DLQ_HEADERS.failedAt]: now.toISOString(),
  };
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}

/** Publishes dead letters through an idempotent producer; resolves only once Kafka acknowledged all of them. */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly options: DeadLetterOptions,
  ) {}

  topicFor(sourceTopic: string): string {
    return deadLetterTopic(sourceTopic, this.options);
  }

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const letter of letters) {
      const topic = this.topicFor(letter.record.topic);
      const list = byTopic.get(topic) ?? [];
      list.push(toDeadLetterMessage(letter));
      byTopic.set(topic, list);
    }
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
}

import type { IHeaders } from 'kafkajs';

/** One Kafka record as the pipeline sees it, with its position. */
export interface SourceRecord {
  topic: string;
  partition: number;
  /** Decimal string, as kafkajs gives it. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Broker/producer timestamp in ms since the epoch, as a decimal string. */
  timestamp: string;
}

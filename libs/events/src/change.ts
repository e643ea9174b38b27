import type { EventValidationError } from './errors';
import type { MessageFields } from './message.schema';
import type { PostFields } from './post.schema';

export type Entity = 'message' | 'post';
export type ChangeFormat = 'nova' | 'legacy' | 'debezium' | 'debezium-unwrapped';

/** One normalised change to one document: what every accepted input becomes, once, at the edge. */
export interface Change {
  entity: Entity;
  /** Entity id (uuid, lower case) = Kafka key = Elasticsearch `_id`. */
  id: string;
  operation: 'upsert' | 'delete';
  /**
   * WAL position to order writes by: the commit LSN (ours), `source.lsn` (Debezium), `__lsn` (unwrapped, when added);
   * null when the input carries none (the legacy flat payload, an unwrapped record without `__lsn`).
   */
  version: bigint | null;
  /**
   * Full fields on upsert. On delete: the row image when the input carries the whole row (Debezium `before` under
   * REPLICA IDENTITY FULL, a soft-deleted `after`); otherwise the ids it carries with placeholders (text '',
   * visibility 'private', times null); null when only the entity id is known.
   */
  fields: MessageFields | PostFields | null;
  /** ISO commit time when known. */
  committedAt: string | null;
  origin: { format: ChangeFormat; topic: string; eventId?: string; snapshot?: boolean };
}

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface NormalizeInput {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

export interface NormalizeOptions {
  /** The legacy flat payload is recognised by these topics. Debezium events are recognised by their payload's table. */
  topics: { messagePersisted: string; messageDeleted: string; postPersisted: string; postDeleted: string };
}

export type IgnoredReason = 'tombstone' | 'empty_content' | 'unknown_table';

export type NormalizeResult =
  | { kind: 'change'; change: Change }
  | { kind: 'ignored'; reason: IgnoredReason }
  | { kind: 'invalid'; error: EventValidationError };

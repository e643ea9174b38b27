import type { CdcTable, TopicNames } from '@nova/config';
import {
  formatLsn,
  messageDeletedEvent,
  messagePersistedEvent,
  postDeletedEvent,
  postPersistedEvent,
  toKafkaMessage,
  type NovaEvent,
  type SourceMetadata,
} from '@nova/events';
import { requireText, type PgTextRow } from './pg-text';

/** One record for Kafka: key = entity id, so one entity's events stay in one partition, in order. */
export interface OutboundEvent {
  topic: string;
  key: string;
  /**
   * The JSON envelope, as a string or its UTF-8 bytes. A string is encoded straight into a buffer when the event is
   * queued (transaction coalescer, Kafka batch) and dropped then, so it dies young (a value kept until Kafka's
   * acknowledgement would be promoted and litter the old generation).
   */
  value: string | Buffer;
  /** Its UTF-8 length. */
  valueBytes: number;
  /** Approximate size on the wire (key + UTF-8 value + record overhead), for the batch and back-pressure bounds. */
  bytes: number;
}

/** Writes an event's value (a string as UTF-8, or its bytes) into `target` at `offset`; returns the bytes written. */
export function writeValue(event: OutboundEvent, target: Buffer, offset: number): number {
  return typeof event.value === 'string' ? target.write(event.value, offset, 'utf8') : event.value.copy(target, offset);
}

export type RowOperation = 'insert' | 'update' | 'delete' | 'snapshot';

export interface ChangePosition {
  /** LSN of the change record (the snapshot's consistent point for snapshot rows). */
  lsn: bigint;
  /** LSN of the commit record of the transaction: the event's version. */
  commitLsn: bigint;
  txId: number | null;
  /** ISO 8601 commit time (snapshot read time for snapshot rows). */
  commitTs: string;
  snapshot: boolean;
}

/**
 * Turns a row of an indexed table into our event envelope (libs/events builders, which validate): insert, update or
 * snapshot of a live row -> `*_persisted`; of a soft-deleted row (deleted_at set), or a delete -> `*_deleted`.
 * Values are PostgreSQL text (UTC); the builders normalise timestamps. The event id is derived from the change, so a
 * change published again after a crash carries the same event id.
 */
export class ChangeMapper {
  /** The last commit LSN and its text: every row of a transaction shares it, so it is formatted once. */
  private commitLsn = -1n;
  private commitLsnText = '';

  constructor(private readonly topics: TopicNames) {}

  private formatCommitLsn(lsn: bigint): string {
    if (lsn !== this.commitLsn) [this.commitLsn, this.commitLsnText] = [lsn, formatLsn(lsn)];
    return this.commitLsnText;
  }

  map(table: CdcTable, operation: RowOperation, row: PgTextRow, position: ChangePosition): OutboundEvent & { value: string } {
    const deleted = operation === 'delete' || (row['deleted_at'] !== null && row['deleted_at'] !== undefined);
    const source: SourceMetadata = {
      lsn: formatLsn(position.lsn),
      commit_lsn: this.formatCommitLsn(position.commitLsn),
      tx_id: position.txId,
      table,
      snapshot: position.snapshot,
      commit_ts: position.commitTs,
    };
    const id = requireText(row, 'id');
    // A hard delete has no deleted_at: the commit time is when the row went away.
    const deletedAt = row['deleted_at'] ?? (operation === 'delete' ? position.commitTs : null);
    let event: NovaEvent;
    let topic: string;
    if (table === 'messages') {
      const ids = { id, conversation_id: requireText(row, 'conversation_id'), sender_id: requireText(row, 'sender_id') };
      if (deleted) {
        event = messageDeletedEvent({ ...ids, deleted_at: deletedAt }, source);
        topic = this.topics.messageDeleted;
      } else {
        event = messagePersistedEvent({ ...ids, content: requireText(row, 'content'), created_at: row['created_at'], edited_at: row['edited_at'] }, source);
        topic = this.topics.messagePersisted;
      }
    } else if (deleted) {
      event = postDeletedEvent({ id, author_id: requireText(row, 'author_id'), deleted_at: deletedAt }, source);
      topic = this.topics.postDeleted;
    } else {
      event = postPersistedEvent(
        {
          id,
          author_id: requireText(row, 'author_id'),
          title: requireText(row, 'title'),
          content: requireText(row, 'content'),
          visibility: requireText(row, 'visibility'),
          created_at: row['created_at'],
          updated_at: row['updated_at'],
        },
        source,
      );
      topic = this.topics.postPersisted;
    }
    const { key, value } = toKafkaMessage(event);
    const valueBytes = Buffer.byteLength(value, 'utf8');
    return { topic, key, value, valueBytes, bytes: key.length + valueBytes + 100 };
  }
}

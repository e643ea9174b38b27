import { formatLsn, messageDeletedEvent, messagePersistedEvent, postDeletedEvent, postPersistedEvent, toKafkaMessage, type SourceMetadata } from '@nova/events';
import type { TopicNames } from '@nova/config';

export interface OutRecord {
  topic: string;
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  /** Explicit partition (default: by key). */
  partition?: number;
}

/** What the index must hold for one entity at the end: its newest change. */
export interface ExpectedDoc {
  entity: 'message' | 'post';
  deleted: boolean;
  content: string | null;
  sourceLsn: string;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Builds one of our events at a given commit LSN. */
export function novaEvent(
  topics: TopicNames,
  entity: 'message' | 'post',
  op: 'upsert' | 'delete',
  ids: { id: string; parent: string; user: string },
  lsn: bigint,
  content: string,
  commitTs = new Date(),
): OutRecord {
  const source: SourceMetadata = {
    lsn: formatLsn(lsn - 8n),
    commit_lsn: formatLsn(lsn),
    tx_id: Number(lsn % 1_000_000n),
    table: entity === 'message' ? 'messages' : 'posts',
    snapshot: false,
    commit_ts: commitTs.toISOString(),
  };
  const at = commitTs.toISOString();
  if (entity === 'message') {
    const row = { id: ids.id, conversation_id: ids.parent, sender_id: ids.user, content, created_at: at, edited_at: null, deleted_at: at };
    const event = op === 'upsert' ? messagePersistedEvent(row, source) : messageDeletedEvent(row, source);
    return { topic: op === 'upsert' ? topics.messagePersisted : topics.messageDeleted, ...toKafkaMessage(event) };
  }
  const row = { id: ids.id, author_id: ids.user, title: `title ${content}`, content, visibility: 'public', created_at: at, updated_at: at, deleted_at: at };
  const event = op === 'upsert' ? postPersistedEvent(row, source) : postDeletedEvent(row, source);
  return { topic: op === 'upsert' ? topics.postPersisted : topics.postDeleted, ...toKafkaMessage(event) };
}

/**
 * A random history of `count` events over `entities` messages and posts: creates, edits and deletes (some
 * entities edited after a delete, as an undelete would), each at a new, increasing commit LSN, some duplicated.
 * The expected final state is each entity's highest-LSN change, whatever order the worker sees them in.
 */
export function randomStory(topics: TopicNames, count: number, entities: number, seed: number) {
  const random = prng(seed);
  const pool = Array.from({ length: entities }, (_, i) => ({
    entity: (i % 3 === 0 ? 'post' : 'message') as 'message' | 'post',
    ids: { id: uuid(random), parent: uuid(random), user: uuid(random) },
  }));
  const records: OutRecord[] = [];
  const expected = new Map<string, ExpectedDoc>();
  let lsn = 0x1_0000_0000n;
  while (records.length < count) {
    const target = pool[Math.floor(random() * pool.length)];
    lsn += BigInt(1 + Math.floor(random() * 200));
    const op = expected.has(target.ids.id) && random() < 0.25 ? 'delete' : 'upsert';
    const content = `${target.entity} ${target.ids.id.slice(0, 8)} at ${lsn.toString(16)}`;
    const record = novaEvent(topics, target.entity, op, target.ids, lsn, content);
    records.push(record);
    if (random() < 0.03 && records.length < count) records.push(record); // a duplicate, as a producer retry would make
    expected.set(target.ids.id, { entity: target.entity, deleted: op === 'delete', content: op === 'delete' ? null : content, sourceLsn: formatLsn(lsn) });
  }
  return { records, expected };
}

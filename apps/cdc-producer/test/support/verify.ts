import { parseLsn } from '@nova/events';
import type { Sql } from '@nova/postgres';
import type { CollectedEvent } from './kafka-collector';
import type { ExpectedChange } from './workload';

const entityOf = (e: CollectedEvent) => String(e.value.message_id ?? e.value.post_id);
const version = (e: CollectedEvent): [bigint, bigint] => [parseLsn(e.value.source.commit_lsn), parseLsn(e.value.source.lsn)];
const cmp = (a: [bigint, bigint], b: [bigint, bigint]) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1);

/**
 * Checks the topics against what the writer committed. A redelivered event (same topic, entity, type and WAL position)
 * is at-least-once, not an error. Then: (1) in every partition, each entity's first deliveries are in strictly
 * increasing WAL order; (2) each entity's streamed events, in WAL order, are exactly the committed changes.
 */
export function verifyEvents(events: CollectedEvent[], expected: Map<string, ExpectedChange[]>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const lastInPartition = new Map<string, [bigint, bigint]>();
  const streamed = new Map<string, CollectedEvent[]>();
  for (const e of events) {
    const id = entityOf(e);
    const identity = `${e.topic}|${id}|${e.value.event_type}|${e.value.source.lsn}|${e.value.source.commit_lsn}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const pk = `${e.topic}|${e.partition}|${id}`;
    const last = lastInPartition.get(pk);
    if (last && cmp(last, version(e)) >= 0) problems.push(`out of order in ${e.topic}/${e.partition} for ${id} at offset ${e.offset}`);
    lastInPartition.set(pk, version(e));
    if (e.key !== id) problems.push(`key ${e.key} != entity ${id}`);
    if (e.value.source.snapshot) continue;
    let list = streamed.get(id);
    if (!list) streamed.set(id, (list = []));
    list.push(e);
  }
  for (const [id, changes] of expected) {
    const got = (streamed.get(id) ?? []).sort((a, b) => cmp(version(a), version(b))).map((e) => ({ type: e.value.event_type, content: e.value.content ?? null }));
    if (JSON.stringify(got) !== JSON.stringify(changes)) {
      problems.push(`entity ${id}: expected ${JSON.stringify(changes)} got ${JSON.stringify(got)}`);
    }
  }
  for (const id of streamed.keys()) if (!expected.has(id)) problems.push(`unexpected events for ${id}`);
  return problems.slice(0, 10);
}

/** Latest state per entity from the topics (highest version wins, as a versioned index would keep). */
export function rebuildState(events: CollectedEvent[]): Map<string, { deleted: boolean; content: string | null }> {
  const best = new Map<string, CollectedEvent>();
  for (const e of events) {
    const id = entityOf(e);
    const prev = best.get(id);
    if (!prev || cmp(version(prev), version(e)) <= 0) best.set(id, e);
  }
  return new Map([...best].map(([id, e]) => [id, { deleted: e.value.event_type.endsWith('_deleted'), content: e.value.content ?? null }]));
}

/** Compares the rebuilt state with the tables: live rows persisted with their content, others deleted or never seen. */
export async function compareWithTables(sql: Sql, state: Map<string, { deleted: boolean; content: string | null }>): Promise<string[]> {
  const rows = await sql<{ id: string; content: string; deleted: boolean }[]>`
    select id::text, content, deleted_at is not null as deleted from messages
    union all select id::text, content, deleted_at is not null from posts`;
  const problems: string[] = [];
  const inTable = new Set<string>();
  for (const r of rows) {
    inTable.add(r.id);
    const s = state.get(r.id);
    if (!s) problems.push(`row ${r.id} never published`);
    else if (r.deleted ? !s.deleted : s.deleted || s.content !== r.content) problems.push(`row ${r.id}: table ${JSON.stringify(r)} topic ${JSON.stringify(s)}`);
  }
  for (const [id, s] of state) if (!inTable.has(id) && !s.deleted) problems.push(`row ${id} is gone but its last event is not a delete`);
  return problems.slice(0, 10);
}

import { randomUUID } from 'node:crypto';
import type { EmbeddedKafka } from '@nova/embedded-kafka';
import type { Sql } from '@nova/postgres';
import type { TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { KafkaCollector } from './support/kafka-collector';
import { killHard, producerEnv, spawnProducer, topicList } from './support/producer-runner';
import { type BaseRows } from './support/source-db';
import { closeSourceSuite, openSourceSuite } from './support/source-suite';
import { compareWithTables, rebuildState } from './support/verify';
import { Workload } from './support/workload';

const MESSAGES = 8_000;
const POSTS = 1_000;

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('cdc-producer initial snapshot', () => {
  let db: TestDatabase;
  let sql: Sql;
  let base: BaseRows;
  let broker: EmbeddedKafka;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    ({ db, sql, base, broker } = await openSourceSuite('cdc_snap'));
  });
  afterAll(async () => {
    await closeSourceSuite({ sql, db, broker }, cleanups);
  });

  it('rebuilds exactly the tables from the topics, with a writer writing and a crash in the middle of the snapshot', async () => {
    await sql`insert into messages (id, conversation_id, sender_id, content, deleted_at)
      select gen_random_uuid(), ${base.conversationId}, ${base.userId}, 'seed ' || i, case when i % 10 = 0 then now() end
      from generate_series(1, ${MESSAGES}) as i`;
    await sql`insert into posts (id, author_id, title, content)
      select gen_random_uuid(), ${base.userId}, 'seed', 'seed post ' || i from generate_series(1, ${POSTS}) as i`;
    const workload = new Workload(sql, base, 11);
    for (const r of await sql<{ id: string; d: boolean }[]>`select id::text, deleted_at is not null as d from messages`) workload.adopt(r.id, 'message', r.d);
    for (const r of await sql<{ id: string }[]>`select id::text from posts`) workload.adopt(r.id, 'post');

    const prefix = `snap_${randomUUID().slice(0, 8)}`;
    const env = producerEnv(db.url, broker.brokers, prefix, { CDC_SNAPSHOT_CHUNK_ROWS: '50', KAFKA_BATCH_MAX_MESSAGES: '100', LOG_LEVEL: 'info' });
    let stopWriting = false;
    const writing = workload.run(() => stopWriting, 400);
    writing.catch(() => undefined);

    // First producer: killed once the snapshot is under way.
    const first = await spawnProducer(env);
    cleanups.push(() => killHard(first.child));
    await waitFor(async () => (await metric(first.port, 'nova_producer_snapshot_rows_total')) > 0, { timeoutMs: 60_000, intervalMs: 20, what: 'snapshot started' });
    await killHard(first.child);
    // The rows the dead snapshot read first (lowest ids), hard-deleted before the redo: their deletes must still reach
    // Kafka, or their snapshot events would leave them alive downstream.
    await sql`delete from messages where id in (select id from messages order by id limit 20)`;

    // Second producer: redoes the snapshot (the slot keeps its position), then streams every change since.
    const second = await spawnProducer(env);
    cleanups.push(() => killHard(second.child));
    await waitFor(second.ready, { timeoutMs: 60_000, intervalMs: 100, what: 'second producer streaming' });
    expect(second.child.logLines().some((l) => String(l['message']).includes('initial snapshot never completed'))).toBe(true);
    await waitFor(() => workload.changes > 1_000, { timeoutMs: 30_000, what: 'writer progress' });
    stopWriting = true;
    await writing;

    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    let problems: string[] = ['not compared yet'];
    await waitFor(async () => (problems = await compareWithTables(sql, rebuildState(collector.events))).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      what: 'topics rebuilt equal the tables',
    }).catch(() => undefined);
    expect(problems).toEqual([]);
    const snapshotRows = collector.events.filter((e) => e.value.source.snapshot);
    expect(snapshotRows.length).toBeGreaterThanOrEqual(MESSAGES + POSTS);
    second.child.kill('SIGTERM');
    expect(await second.child.exited).toBe(0);
  });
});

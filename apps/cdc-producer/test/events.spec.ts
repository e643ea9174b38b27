import { randomUUID } from 'node:crypto';
import type { EmbeddedKafka } from '@nova/embedded-kafka';
import { compareLsn, novaEventSchema, parseLsn } from '@nova/events';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { loadProducerConfig } from '@nova/config';
import { createKafkaClient } from '@nova/kafka';
import { createSilentLogger } from '@nova/logger';
import { createMetricsRegistry } from '@nova/runtime';
import { ProducerMetrics } from '../src/app/producer-metrics';
import { resnapshotTable } from '../src/pipeline/resnapshot';
import { KafkaCollector } from './support/kafka-collector';
import { producerEnv, startInProcess, topicList } from './support/producer-runner';
import { slotConfirmedFlush, type BaseRows } from './support/source-db';
import { verifyEvents } from './support/verify';
import { Workload } from './support/workload';
import { closeSourceSuite, openSourceSuite } from './support/source-suite';

describe('cdc-producer events', () => {
  let db: TestDatabase;
  let sql: Sql;
  let base: BaseRows;
  let broker: EmbeddedKafka;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    ({ db, sql, base, broker } = await openSourceSuite('cdc_events'));
  });
  afterAll(async () => {
    await closeSourceSuite({ sql, db, broker }, cleanups);
  });

  it('publishes the snapshot, then exact events for inserts, updates, soft and hard deletes and multi-row transactions', async () => {
    const prefix = `ev_${randomUUID().slice(0, 8)}`;
    const [old1, old2, oldPost] = [randomUUID(), randomUUID(), randomUUID()];
    await sql`insert into messages (id, conversation_id, sender_id, content) values (${old1}, ${base.conversationId}, ${base.userId}, 'before 1')`;
    await sql`insert into messages (id, conversation_id, sender_id, content, deleted_at) values (${old2}, ${base.conversationId}, ${base.userId}, 'gone', now())`;
    await sql`insert into posts (id, author_id, title, content, visibility) values (${oldPost}, ${base.userId}, 'T', 'post before', 'followers')`;

    const producer = startInProcess(producerEnv(db.url, broker.brokers, prefix));
    cleanups.push(producer.stop);
    await waitFor(() => producer.app.currentState() === 'streaming', { timeoutMs: 30_000, what: 'streaming' });
    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());

    const [m1, m2, m3, m4, p1] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const msg = (id: string, content: string) =>
      sql`insert into messages (id, conversation_id, sender_id, content) values (${id}, ${base.conversationId}, ${base.userId}, ${content})`;
    await msg(m1, 'hello');
    await sql`update messages set content = 'hello, edited', edited_at = now() where id = ${m1}`;
    await sql`update messages set deleted_at = now() where id = ${m1}`;
    await msg(m2, 'short-lived');
    await sql`delete from messages where id = ${m2}`;
    await msg(m3, 'three');
    await sql.begin(async (tx) => {
      await tx`insert into messages (id, conversation_id, sender_id, content) values (${m4}, ${base.conversationId}, ${base.userId}, 'four')`;
      await tx`update messages set content = 'three, edited' where id = ${m3}`;
      await tx`update messages set content = 'four, edited' where id = ${m4}`;
      await tx`insert into posts (id, author_id, title, content) values (${p1}, ${base.userId}, 'P', 'post one')`;
      await tx`update posts set deleted_at = now() where id = ${oldPost}`;
    });
    await sql`delete from posts where id = ${p1}`;

    // One entity's events span two topics (persisted, deleted); in WAL order they must be exactly the changes made.
    const byEntity = (id: string) =>
      collector.events
        .filter((e) => (e.value.message_id ?? e.value.post_id) === id)
        .sort((a, b) => compareLsn(a.value.source.commit_lsn, b.value.source.commit_lsn) || compareLsn(a.value.source.lsn, b.value.source.lsn));
    const summary = (id: string) => byEntity(id).map((e) => `${e.value.event_type}:${e.value.content ?? ''}${e.value.source.snapshot ? ':snapshot' : ''}`);
    await waitFor(() => byEntity(p1).length === 2 && byEntity(oldPost).length === 2, { timeoutMs: 30_000, what: 'all events' });

    expect(summary(old1)).toEqual(['message_persisted:before 1:snapshot']);
    expect(summary(old2)).toEqual(['message_deleted::snapshot']);
    expect(summary(m1)).toEqual(['message_persisted:hello', 'message_persisted:hello, edited', 'message_deleted:']);
    expect(summary(m2)).toEqual(['message_persisted:short-lived', 'message_deleted:']);
    expect(summary(m3)).toEqual(['message_persisted:three', 'message_persisted:three, edited']);
    // Inside one transaction only a row's final state is published (one version per transaction: see TransactionCoalescer).
    expect(summary(m4)).toEqual(['message_persisted:four, edited']);
    expect(summary(oldPost)).toEqual(['post_persisted:post before:snapshot', 'post_deleted:']);
    expect(summary(p1)).toEqual(['post_persisted:post one', 'post_deleted:']);
    expect(collector.events).toHaveLength(14);

    for (const e of collector.events) {
      expect(novaEventSchema.safeParse(e.value).success).toBe(true);
      expect(e.key).toBe(e.value.message_id ?? e.value.post_id);
      expect(e.topic).toBe(`${prefix}.${e.value.event_type}`);
      expect(e.headers).toEqual({}); // the topic names the event type; everything else is in the value
    }
    // One transaction, one version.
    const multi = [...byEntity(m4), ...byEntity(p1).slice(0, 1), byEntity(m3)[1]!];
    expect(new Set(multi.map((e) => e.value.source.commit_lsn)).size).toBe(1);
    // Within each topic (one partition per key), an entity's events arrive in WAL order; snapshot versions are below
    // every streamed version.
    for (const topic of topicList(prefix)) {
      const inTopic = collector.events.filter((e) => e.topic === topic);
      for (const id of new Set(inTopic.map((e) => e.key))) {
        const versions = inTopic.filter((e) => e.key === id).map((e) => `${e.value.source.commit_lsn}/${e.value.source.lsn}`);
        const sorted = [...versions].sort((a, b) => {
          const [ac, , al] = [a.split('/').slice(0, 2).join('/'), 0, a.split('/').slice(2).join('/')];
          const [bc, , bl] = [b.split('/').slice(0, 2).join('/'), 0, b.split('/').slice(2).join('/')];
          return compareLsn(ac, bc) || compareLsn(al, bl);
        });
        expect(versions).toEqual(sorted);
      }
    }
    const snapshotVersion = parseLsn(byEntity(old1)[0]!.value.source.commit_lsn);
    for (const e of collector.events) if (!e.value.source.snapshot) expect(parseLsn(e.value.source.commit_lsn) > snapshotVersion).toBe(true);

    // SIGTERM-equivalent stop: flush, then acknowledge everything published.
    const lastCommit = parseLsn(byEntity(p1)[1]!.value.source.commit_lsn);
    await producer.stop();
    expect(parseLsn((await slotConfirmedFlush(sql, `${prefix}_slot`))!) > lastCommit).toBe(true);
  });

  it('holds the WAL stream back while Kafka is behind: with tiny in-flight bounds a catch-up loses and reorders nothing', async () => {
    const prefix = `bp_${randomUUID().slice(0, 8)}`;
    const first = startInProcess(producerEnv(db.url, broker.brokers, prefix));
    await waitFor(() => first.app.currentState() === 'streaming', { timeoutMs: 30_000, what: 'streaming' });
    await first.stop();
    // A backlog committed while the producer is down arrives in large socket chunks when it is back; with room for
    // ~2 KiB and 4 events per batch, nearly every change waits for Kafka while the rest of its chunk is held.
    const workload = new Workload(sql, base, 11);
    await workload.run(() => workload.changes >= 3_000, 1_000_000);
    const producer = startInProcess(producerEnv(db.url, broker.brokers, prefix, { CDC_MAX_IN_FLIGHT_BYTES: '2048', KAFKA_BATCH_MAX_MESSAGES: '4' }));
    cleanups.push(producer.stop);
    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    await waitFor(() => collector.events.length >= workload.events && verifyEvents(collector.events, workload.expected).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'every committed change in Kafka',
    }).catch(() => undefined);
    expect(verifyEvents(collector.events, workload.expected)).toEqual([]);
    await producer.stop();
  });

  it('refuses to start when a table lacks REPLICA IDENTITY FULL, saying how to fix it', async () => {
    const other = await createTestDatabase('cdc_ident');
    cleanups.push(() => other.drop());
    const osql = createSql(other.url, { max: 1 });
    await osql`alter table messages replica identity default`;
    await osql.end();
    const producer = startInProcess(producerEnv(other.url, broker.brokers, `id_${randomUUID().slice(0, 8)}`));
    await expect(producer.running).rejects.toMatchObject({
      code: 'REPLICA_IDENTITY_NOT_FULL',
      message: expect.stringContaining('ALTER TABLE messages REPLICA IDENTITY FULL;'),
    });
    await producer.stop();
  });

  it('re-snapshots one table on demand, versioned just below a fresh consistent point, without a permanent slot', async () => {
    const prefix = `resnap_${randomUUID().slice(0, 8)}`;
    const config = loadProducerConfig(producerEnv(db.url, broker.brokers, prefix));
    const logger = createSilentLogger();
    const kafka = createKafkaClient({ brokers: broker.brokers, clientId: 'resnap-test', logger });
    const metrics = new ProducerMetrics(createMetricsRegistry('resnap-test'));
    const result = await resnapshotTable({ config, sql, kafka, logger, metrics }, 'messages');
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from messages`;
    expect(result.rows).toBe(n);
    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    await waitFor(() => collector.events.length === n, { timeoutMs: 30_000, what: 'snapshot events' });
    const version = parseLsn(result.consistentPoint) - 1n;
    for (const e of collector.events) {
      expect(e.value.source.snapshot).toBe(true);
      expect(parseLsn(e.value.source.commit_lsn)).toBe(version);
    }
    const slots = await sql`select slot_name from pg_replication_slots where slot_name like ${prefix + '%'}`;
    expect(slots).toHaveLength(0);
  });
});

import { randomUUID } from 'node:crypto';
import type { EmbeddedKafka } from '@nova/embedded-kafka';
import type { Sql } from '@nova/postgres';
import type { TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { KafkaCollector } from './support/kafka-collector';
import { killHard, producerEnv, spawnProducer, startInProcess, topicList } from './support/producer-runner';
import { type BaseRows } from './support/source-db';
import { closeSourceSuite, openSourceSuite } from './support/source-suite';
import { verifyEvents } from './support/verify';
import { Workload } from './support/workload';

describe('cdc-producer operations', () => {
  let db: TestDatabase;
  let sql: Sql;
  let base: BaseRows;
  let broker: EmbeddedKafka;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    ({ db, sql, base, broker } = await openSourceSuite('cdc_ops'));
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await closeSourceSuite({ sql, db, broker });
  });

  it('hot standby: one active instance per slot; the standby takes over within seconds with no lost change', async () => {
    const prefix = `standby_${randomUUID().slice(0, 8)}`;
    const env = producerEnv(db.url, broker.brokers, prefix, { LOG_LEVEL: 'info' });
    const a = await spawnProducer(env);
    cleanups.push(() => killHard(a.child));
    await waitFor(a.ready, { timeoutMs: 60_000, intervalMs: 100, what: 'A streaming' });
    const b = await spawnProducer(env);
    cleanups.push(() => killHard(b.child));
    await waitFor(() => b.child.logLines().some((l) => String(l['message']).includes('waiting as standby')), { timeoutMs: 60_000, what: 'B standby' });

    // Never both ready at once.
    let both = 0;
    const sampler = setInterval(() => void Promise.all([a.ready(), b.ready()]).then(([x, y]) => x && y && both++), 100);
    cleanups.push(async () => clearInterval(sampler));

    const workload = new Workload(sql, base, 3);
    let stop = false;
    const writing = workload.run(() => stop, 500);
    writing.catch(() => undefined);
    await waitFor(() => workload.changes > 800, { timeoutMs: 30_000, what: 'writes before the kill' });
    expect(await b.ready()).toBe(false);
    await killHard(a.child);
    const killedAt = Date.now();
    await waitFor(b.ready, { timeoutMs: 30_000, intervalMs: 50, what: 'B takes over' });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(10_000);
    await waitFor(() => workload.changes > 1_600, { timeoutMs: 30_000, what: 'writes after the takeover' });
    stop = true;
    await writing;
    clearInterval(sampler);
    expect(both).toBe(0);

    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    await waitFor(() => verifyEvents(collector.events, workload.expected).length === 0, { timeoutMs: 60_000, intervalMs: 500 }).catch(() => undefined);
    expect(verifyEvents(collector.events, workload.expected)).toEqual([]);
    b.child.kill('SIGTERM');
    expect(await b.child.exited).toBe(0);
  });

  it('loses no change when the broker restarts mid-stream', async () => {
    const prefix = `restart_${randomUUID().slice(0, 8)}`;
    const producer = startInProcess(producerEnv(db.url, broker.brokers, prefix));
    cleanups.push(producer.stop);
    await waitFor(() => producer.app.currentState() === 'streaming', { timeoutMs: 30_000, what: 'streaming' });

    const workload = new Workload(sql, base, 5);
    let stop = false;
    const writing = workload.run(() => stop, 800);
    writing.catch(() => undefined);
    await waitFor(() => workload.changes > 1_000, { timeoutMs: 30_000, what: 'writes before the restart' });
    await broker.restart();
    const at = workload.changes;
    await waitFor(() => workload.changes > at + 1_500, { timeoutMs: 30_000, what: 'writes after the restart' });
    stop = true;
    await writing;

    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    await waitFor(() => verifyEvents(collector.events, workload.expected).length === 0, { timeoutMs: 60_000, intervalMs: 500 }).catch(() => undefined);
    expect(verifyEvents(collector.events, workload.expected)).toEqual([]);
  });
});

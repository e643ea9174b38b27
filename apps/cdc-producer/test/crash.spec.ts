import { randomUUID } from 'node:crypto';
import type { EmbeddedKafka } from '@nova/embedded-kafka';
import type { Sql } from '@nova/postgres';
import type { TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { KafkaCollector } from './support/kafka-collector';
import { killHard, producerEnv, spawnProducer, topicList } from './support/producer-runner';
import { type BaseRows } from './support/source-db';
import { closeSourceSuite, openSourceSuite } from './support/source-suite';
import { verifyEvents } from './support/verify';
import { Workload } from './support/workload';

const MIN_CHANGES = 10_000;
const MIN_KILLS = 4;

describe('cdc-producer crash safety', () => {
  let db: TestDatabase;
  let sql: Sql;
  let base: BaseRows;
  let broker: EmbeddedKafka;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    ({ db, sql, base, broker } = await openSourceSuite('cdc_crash'));
  });
  afterAll(async () => {
    await closeSourceSuite({ sql, db, broker }, cleanups);
  });

  it('loses no committed change and reorders none per entity when SIGKILLed at random points and restarted', async () => {
    const prefix = `crash_${randomUUID().slice(0, 8)}`;
    const env = producerEnv(db.url, broker.brokers, prefix, { KAFKA_LINGER_MS: '2' });
    let current = await spawnProducer(env);
    cleanups.push(() => killHard(current.child));
    await waitFor(current.ready, { timeoutMs: 60_000, intervalMs: 100, what: 'first producer streaming' });

    const workload = new Workload(sql, base, 7);
    let killsDone = false;
    const writing = workload.run(() => killsDone && workload.changes >= MIN_CHANGES, 800);
    writing.catch(() => undefined);
    let kills = 0;
    while (kills < MIN_KILLS || workload.changes < MIN_CHANGES) {
      // Odd rounds: kill while streaming; even rounds: at a random moment of start-up or streaming.
      if (kills % 2 === 0) {
        const p = current;
        await waitFor(p.ready, { timeoutMs: 60_000, intervalMs: 50, what: 'producer streaming' }).catch((err: Error) => {
          throw new Error(`${err.message}; producer output: ${p.child.output().slice(-3000)}`);
        });
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1_900));
      await killHard(current.child);
      kills++;
      current = await spawnProducer(env);
    }
    killsDone = true;
    await writing;
    expect(workload.changes).toBeGreaterThanOrEqual(MIN_CHANGES);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);

    const collector = await KafkaCollector.start(broker.brokers, topicList(prefix));
    cleanups.push(() => collector.stop());
    const expectedEvents = workload.events;
    await waitFor(() => collector.events.length >= expectedEvents && verifyEvents(collector.events, workload.expected).length === 0, {
      timeoutMs: 90_000,
      intervalMs: 1_000,
      what: 'every committed change in Kafka',
    }).catch(() => undefined);
    expect(verifyEvents(collector.events, workload.expected)).toEqual([]);

    current.child.kill('SIGTERM');
    expect(await current.child.exited).toBe(0);
  });
});

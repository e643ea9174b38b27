import { waitFor } from '@nova/testing';
import { compareIndexWithPostgres } from '../e2e/index-consistency';
import { PipelineFixture } from '../e2e/pipeline-fixture';
import { createWorld, runMixedWorkload } from '../e2e/workload';

const CHANGES = 50_000;

/**
 * Chaos: during a mixed workload of 50,000 changes, SIGKILL and restart the producer and the indexer at random
 * moments, restart the broker once (keeping its log) and take the search server away for a while. Searches must keep
 * answering (PostgreSQL fallback), and afterwards the index must equal PostgreSQL row by row.
 */
describe('the whole chain under faults', () => {
  let p: PipelineFixture;
  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  it('ends with the index equal to PostgreSQL', async () => {
    p = await PipelineFixture.start();
    const world = await createWorld(p.sql, 8, 6);
    const member = world.conversations[0].members[0];
    let committed = 0;
    const seed = Date.now() % 100_000;
    let rnd = seed;
    const random = () => ((rnd = (rnd * 16807) % 2147483647) / 2147483647);
    const at = (fraction: number) => waitFor(() => committed >= fraction * CHANGES, { timeoutMs: 300_000, intervalMs: 20, what: `${fraction * 100}% of the workload` });
    const log: string[] = [`seed ${seed}`];

    const workload = runMixedWorkload(p.sql, world, { changes: CHANGES, batch: 50, seed, onCommit: (n) => (committed = n) });
    const chaos = (async () => {
      await at(0.05 + random() * 0.1);
      log.push(`kill producer at ${committed}`);
      await p.killAndRestart('cdc-producer');
      await at(0.2 + random() * 0.1);
      log.push(`kill indexer at ${committed}`);
      await p.killAndRestart('indexer-worker');
      await at(0.35 + random() * 0.1);
      log.push(`restart broker at ${committed}`);
      await p.kafka.restart();
      await at(0.5 + random() * 0.1);
      log.push(`search server down at ${committed}`);
      await p.search.suspend(async () => {
        // Searches keep answering from PostgreSQL while Elasticsearch is away.
        for (let i = 0; i < 5; i++) {
          const { status, body } = await p.searchApi('/api/v1/search/messages?q=alpha', member);
          expect(status).toBe(200);
          expect(body.backend).toBe('postgres');
        }
        await new Promise((r) => setTimeout(r, 3000));
      });
      log.push(`search server back at ${committed}`);
      await at(0.7 + random() * 0.1);
      log.push(`kill producer and indexer at ${committed}`);
      await Promise.all([p.killAndRestart('cdc-producer'), p.killAndRestart('indexer-worker')]);
    })();
    await Promise.all([workload, chaos]);

    const report = await waitFor(
      async () => {
        const r = await compareIndexWithPostgres(p.sql, p.es);
        if (r.problems.length > 0) throw new Error(`${r.problems.length} differences, e.g.\n${r.problems.slice(0, 5).join('\n')}`);
        return r;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: `index to equal PostgreSQL (${log.join('; ')})` },
    );
    expect(report.live.messages).toBeGreaterThan(1000);
    // Elasticsearch answers again once it is back.
    await waitFor(async () => (await p.searchApi('/api/v1/search/messages?q=alpha', member)).body.backend === 'elasticsearch', { timeoutMs: 30_000 });
  }, 600_000);
});

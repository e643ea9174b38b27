import { freePort, waitFor, waitForHttpOk } from '@nova/testing';
import { spawnWorker, spawnWorkerProcess, waitReady, type ChildWorker } from './support/child-worker';
import { diffIndex } from './support/es-helpers';
import { randomStory } from './support/event-story';
import { createTopics, groupCaughtUp, produce, testKafka } from './support/kafka-helpers';
import { startStack, type Stack } from './support/stack';
import { sumSamples, topicList, uniqueNames, workerEnv } from './support/worker-harness';

describe('indexer-worker process', () => {
  let stack: Stack | undefined;
  const children: ChildWorker[] = [];

  afterAll(async () => {
    for (const c of children) c.service.kill('SIGKILL');
    await Promise.all(children.map((c) => c.service.exited));
    await stack?.stop();
  });

  it('serves /health/live and stops cleanly on SIGTERM while Kafka and Elasticsearch are unreachable', async () => {
    const port = await freePort();
    const app = spawnWorkerProcess({
      PORT: String(port),
      KAFKA_BROKERS: '127.0.0.1:1',
      ELASTICSEARCH_URL: 'http://127.0.0.1:1',
      LOG_LEVEL: 'info',
    });
    await waitForHttpOk(`http://127.0.0.1:${port}/health/live`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ elasticsearch: 'down' });
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const messages = app.logLines().map((l) => l['message']);
    expect(messages).toContain('Starting Kafka consumer for search indexing');
    expect(messages).toContain('Stopped cleanly');
  });

  it('without Kafka configuration logs that it skips consuming, as the original did', async () => {
    const port = await freePort();
    const app = spawnWorkerProcess({ PORT: String(port), KAFKA_BROKERS: '' });
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.logLines().map((l) => l['message'])).toContain('Kafka configuration missing; skipping message indexing consumer');
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const app = spawnWorkerProcess({ PORT: 'not-a-port', INDEXER_BULK_MAX_DOCS: '0' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/PORT: expected a TCP port number/);
    expect(app.output()).toMatch(/INDEXER_BULK_MAX_DOCS/);
  });

  it('on SIGTERM finishes the batch in flight, commits, leaves the group and exits 0; a successor goes on', async () => {
    const s = (stack = await startStack());
    const names = uniqueNames('lifecycle');
    const topics = topicList(names);
    await createTopics(s.brokers, topics);
    const story = randomStory(names.topics, 5_000, 1_000, 3);
    await produce(stack.brokers, story.records);
    const env = workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_BULK_MAX_DOCS: '100' });
    const first = await spawnWorker(env);
    children.push(first);
    await waitReady(first);
    const ready = await (await fetch(`http://127.0.0.1:${first.port}/health/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', kafka: 'up', elasticsearch: 'up' });
    await waitFor(async () => (await first.indexed()) >= 500, { timeoutMs: 30_000, intervalMs: 25, what: 'some records indexed' });
    const metrics = await (await fetch(`http://127.0.0.1:${first.port}/metrics`)).text();
    for (const name of ['nova_indexer_records_consumed_total', 'nova_indexer_bulk_duration_seconds_count', 'nova_indexer_commit_to_indexed_seconds_count', 'nova_indexer_consumer_lag']) {
      expect({ name, value: sumSamples(metrics, name) > 0 }).toEqual({ name, value: true });
    }
    expect(metrics).toContain('nova_indexer_paused_partitions');
    first.service.kill('SIGTERM');
    expect(await first.service.exited).toBe(0);
    expect(first.service.logLines().map((l) => l['message'])).toContain('Stopped cleanly');

    // It left the group (no member waits for a session timeout) and committed what it finished.
    const admin = testKafka(stack.brokers).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([names.groupId]);
    const offsets = await admin.fetchOffsets({ groupId: names.groupId, topics });
    await admin.disconnect();
    expect(groups[0]).toMatchObject({ state: 'Empty', members: [] });
    expect(offsets.flatMap((t) => t.partitions).some((p) => Number(p.offset) > 0)).toBe(true);

    const second = await spawnWorker(env);
    children.push(second);
    await waitFor(() => groupCaughtUp(s.brokers, names.groupId, topics), { timeoutMs: 60_000, intervalMs: 250, what: 'the successor to catch up' });
    expect(await diffIndex(stack.esUrl, names.aliases, story.expected)).toEqual([]);
    second.service.kill('SIGTERM');
    expect(await second.service.exited).toBe(0);
  });
});

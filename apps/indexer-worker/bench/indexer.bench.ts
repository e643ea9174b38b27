/**
 * `npm run bench:indexer`: Kafka -> indexer-worker -> search server.
 * The broker, the search server and the load producer run in their own processes; the worker runs in this one, so
 * `max_rss_mb` is the worker's resident memory (plus this script's small bookkeeping).
 * Phase 1 (throughput): BENCH_EVENTS (default 200,000) message events are produced first, then the worker indexes them.
 * Phase 2 (latency): the worker runs while events arrive at BENCH_RATE (default 1,000/s) for BENCH_SECONDS (default 20);
 * latency = from the record's Kafka timestamp (set when the producer appended it) to Elasticsearch accepting its document.
 * Last line: one JSON object.
 */
import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';
import { loadIndexerConfig } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry } from '@nova/runtime';
import { spawnTsService, waitFor, type ChildService } from '@nova/testing';
import { createIndexerWorker } from '../src/app/indexer-worker';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 3);
const children: ChildService[] = [];

async function readyLine(service: ChildService): Promise<Record<string, unknown>> {
  return waitFor(() => service.logLines().find((l) => l['ready'] === true), { timeoutMs: 60_000, what: 'a stand-in to print its address' });
}

async function runProducer(brokers: string[], topic: string, count: number, rate: number): Promise<void> {
  const p = spawnTsService('apps/indexer-worker/bench/load-producer.ts', { BROKERS: brokers.join(','), TOPIC: topic, COUNT: String(count), RATE: String(rate) });
  children.push(p);
  const code = await p.exited;
  if (code !== 0) throw new Error(`load producer failed: ${p.output().slice(-2000)}`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 50);
  const kafkaProc = spawnTsService('apps/indexer-worker/bench/stand-in-process.ts', { STAND_IN: 'kafka' });
  const esProc = spawnTsService('apps/indexer-worker/bench/stand-in-process.ts', { STAND_IN: 'elasticsearch' });
  children.push(kafkaProc, esProc);
  const brokers = (await readyLine(kafkaProc))['brokers'] as string[];
  const esUrl = (await readyLine(esProc))['url'] as string;
  const logger = createLogger({ service: 'indexer-worker', level: process.env['LOG_LEVEL'] ?? 'warn' });
  const admin = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();

  async function phase(name: string, onIndexed: (ts: number[]) => void) {
    const topic = `bench_${name}.message_persisted`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    const config = loadIndexerConfig({
      ...process.env, // INDEXER_* tuning
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SEARCH_GROUP_ID: `bench-${name}`,
      KAFKA_MESSAGE_PERSISTED_TOPIC: topic,
      KAFKA_MESSAGE_DELETED_TOPIC: `bench_${name}.message_deleted`,
      KAFKA_POST_PERSISTED_TOPIC: `bench_${name}.post_persisted`,
      KAFKA_POST_DELETED_TOPIC: `bench_${name}.post_deleted`,
      ELASTICSEARCH_URL: esUrl,
      ELASTICSEARCH_MESSAGE_INDEX: `bench_${name}_messages`,
      ELASTICSEARCH_POST_INDEX: `bench_${name}_posts`,
    });
    const worker = createIndexerWorker({ config, logger, registry: createMetricsRegistry('indexer-worker'), onIndexed });
    return { topic, worker, index: config.elasticsearch.messageIndex };
  }

  // Phase 1: throughput over a backlog.
  let indexed = 0;
  let lastIndexedAt = 0;
  const tp = await phase('throughput', (ts) => {
    indexed += ts.length;
    lastIndexedAt = Date.now();
  });
  await runProducer(brokers, tp.topic, EVENTS, 0);
  const started = Date.now();
  await tp.worker.start();
  await waitFor(() => indexed >= EVENTS, { timeoutMs: 600_000, intervalMs: 100, what: `${EVENTS} events indexed (at ${indexed})` });
  const eventsPerS = Math.round(EVENTS / ((lastIndexedAt - started) / 1000));
  await tp.worker.stop();
  const es = new Client({ node: esUrl });
  await es.indices.refresh({ index: tp.index });
  const docs = (await es.count({ index: tp.index })).count;

  // Phase 2: latency at a steady rate.
  const latencies: number[] = [];
  const lat = await phase('latency', (ts) => {
    const now = Date.now();
    for (const t of ts) latencies.push(now - t);
  });
  await lat.worker.start();
  await waitFor(() => lat.worker.readiness().ready, { timeoutMs: 30_000, what: 'the worker to join' });
  await runProducer(brokers, lat.topic, RATE * SECONDS, RATE);
  await waitFor(() => latencies.length >= RATE * SECONDS, { timeoutMs: 60_000, what: 'every latency sample' });
  await lat.worker.stop();
  await es.close();
  await admin.disconnect();
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);

  const result = {
    events: EVENTS,
    partitions: PARTITIONS,
    events_per_s: eventsPerS,
    documents_in_index: docs,
    latency_rate_per_s: RATE,
    append_to_indexed_p50_ms: percentile(latencies, 50),
    append_to_indexed_p99_ms: percentile(latencies, 99),
    append_to_indexed_max_ms: latencies[latencies.length - 1],
    max_rss_mb: Math.round(maxRss / 1024 / 1024),
  };
  console.log(`throughput: ${result.events_per_s} events/s over ${EVENTS} events (${docs} documents); at ${RATE}/s: p50 ${result.append_to_indexed_p50_ms} ms, p99 ${result.append_to_indexed_p99_ms} ms; max RSS ${result.max_rss_mb} MB`);
  console.log(JSON.stringify(result));
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill('SIGKILL');
    setTimeout(() => process.exit(), 500).unref();
  });

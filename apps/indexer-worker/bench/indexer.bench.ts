/**
 * `npm run bench:indexer`: Kafka -> indexer-worker -> search server.
 * The broker, the search server, the load producer and the worker each run in their own process (the worker as
 * deployed: its production bundle `dist/apps/indexer-worker/main.js`, built first with `nx build indexer-worker`, with
 * the Node flags and NODE_OPTIONS of its Dockerfile);
 * `max_rss_mb` is the worker process's peak resident memory (VmRSS, sampled every 100 ms).
 * Phase 1 (throughput): BENCH_EVENTS (default 200,000) message events (~300 bytes of content) are produced first, then
 * the worker indexes them; events/s = events / (last indexed - worker ready).
 * Phase 2 (latency): the worker runs while events arrive at BENCH_RATE (default 1,000/s) for BENCH_SECONDS (default 20);
 * latency = from the record's Kafka timestamp (set when the producer appended it) to Elasticsearch accepting its
 * document, read from the worker's per-document debug line (`appendToIndexedMs`).
 * INDEXER_* / ELASTICSEARCH_REFRESH_INTERVAL variables in the environment are passed to the worker.
 * BENCH_WORKER_CPU_PROF=<dir>: each worker process writes a V8 CPU profile (`node --cpu-prof`) into <dir> when it exits
 * (one per phase; the throughput phase's worker exits first), and the search server its profiles into <dir>/search-server
 * (both phases in one; the largest file is its main thread). `bulk_in_flight_share`: the share of the throughput phase
 * with at least one bulk request outstanding (how well fetching and preparing overlap the search server's work).
 * Last line: one JSON object.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';
import { deployedNode, processCpuSeconds, processMemoryMb, spawnTsService, waitFor, WORKSPACE_ROOT, type ChildService } from '@nova/testing';
import { spawnWorker, waitReady, type ChildWorker } from '../test/support/child-worker';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 3);
const WORKER_BUNDLE = 'dist/apps/indexer-worker/main.js';
const DEPLOYED = deployedNode('indexer-worker');
const CPU_PROF_DIR = process.env['BENCH_WORKER_CPU_PROF'];
const WORKER_FLAGS = [...DEPLOYED.flags, ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [])];
const children: Array<{ kill(signal?: NodeJS.Signals): void }> = [];

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

/**
 * The share of [from, to] during which at least one bulk request was outstanding (from each bulk line's log time and
 * `tookMs`): 1 means the search server always had a request to work on, whatever the machine's load.
 */
function inFlightShare(lines: Array<Record<string, unknown>>, from: number, to: number): number {
  const spans = lines
    .map((l) => {
      const end = Date.parse(String(l['timestamp']));
      return [end - Number(l['tookMs'] ?? 0), end] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = from;
  for (const [start, end] of spans) {
    const s = Math.max(start, reach);
    if (end > s) {
      covered += end - s;
      reach = end;
    }
  }
  return covered / Math.max(1, to - from);
}

async function main() {
  execFileSync(path.join(WORKSPACE_ROOT, 'node_modules/.bin/nx'), ['run', 'indexer-worker:build'], { cwd: WORKSPACE_ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  const kafkaProc = spawnTsService('apps/indexer-worker/bench/stand-in-process.ts', { STAND_IN: 'kafka' });
  const esProc = spawnTsService(
    'apps/indexer-worker/bench/stand-in-process.ts',
    { STAND_IN: 'elasticsearch' },
    { nodeFlags: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR, 'search-server')}`] : [] },
  );
  children.push(kafkaProc, esProc);
  const brokers = (await readyLine(kafkaProc))['brokers'] as string[];
  const esUrl = (await readyLine(esProc))['url'] as string;
  const admin = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const es = new Client({ node: esUrl });
  let maxRss = 0;

  async function startWorker(name: string, level: string): Promise<{ topic: string; index: string; worker: ChildWorker; sampler: NodeJS.Timeout }> {
    const topic = `bench_${name}.message_persisted`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    const tuning = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => (k.startsWith('INDEXER_') || k === 'ELASTICSEARCH_REFRESH_INTERVAL') && v !== undefined)) as Record<string, string>;
    const worker = await spawnWorker({
      ...tuning,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SEARCH_GROUP_ID: `bench-${name}`,
      KAFKA_MESSAGE_PERSISTED_TOPIC: topic,
      KAFKA_MESSAGE_DELETED_TOPIC: `bench_${name}.message_deleted`,
      KAFKA_POST_PERSISTED_TOPIC: `bench_${name}.post_persisted`,
      KAFKA_POST_DELETED_TOPIC: `bench_${name}.post_deleted`,
      ELASTICSEARCH_URL: esUrl,
      ELASTICSEARCH_MESSAGE_INDEX: `bench_${name}_messages`,
      ELASTICSEARCH_POST_INDEX: `bench_${name}_posts`,
      LOG_LEVEL: level,
      ...(DEPLOYED.nodeOptions === undefined ? {} : { NODE_OPTIONS: DEPLOYED.nodeOptions }),
    }, { entry: WORKER_BUNDLE, nodeFlags: WORKER_FLAGS });
    children.push(worker.service);
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, processMemoryMb(worker.service.process.pid))), 100);
    await waitReady(worker);
    return { topic, index: `bench_${name}_messages`, worker, sampler };
  }

  async function stopWorker(w: { worker: ChildWorker; sampler: NodeJS.Timeout }) {
    w.worker.service.kill('SIGTERM');
    const code = await w.worker.service.exited;
    clearInterval(w.sampler);
    if (code !== 0) throw new Error(`worker exited with ${code}: ${w.worker.service.output().slice(-2000)}`);
  }

  // Phase 1: throughput over a backlog.
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'bench_throughput.message_persisted', numPartitions: PARTITIONS, replicationFactor: 1 }] });
  await runProducer(brokers, 'bench_throughput.message_persisted', EVENTS, 0);
  const tp = await startWorker('throughput', 'info');
  const started = Date.now();
  const cpuAtStart = processCpuSeconds(tp.worker.service.process.pid);
  const standInCpuAtStart = [processCpuSeconds(esProc.process.pid), processCpuSeconds(kafkaProc.process.pid)];
  await waitFor(async () => (await tp.worker.indexed()) >= EVENTS, { timeoutMs: 900_000, intervalMs: 200, what: `${EVENTS} events indexed` });
  const workerCpu = processCpuSeconds(tp.worker.service.process.pid) - cpuAtStart;
  const esCpu = processCpuSeconds(esProc.process.pid) - standInCpuAtStart[0];
  const brokerCpu = processCpuSeconds(kafkaProc.process.pid) - standInCpuAtStart[1];
  const bulkLines = tp.worker.service.logLines().filter((l) => l['message'] === 'Indexed message into Elasticsearch');
  // The end is the worker's own log time of its last bulk (polling /metrics only detects it up to 200 ms later).
  const seconds = (Math.max(...bulkLines.map((l) => Date.parse(String(l['timestamp'])))) - started) / 1000;
  const bulkShare = inFlightShare(bulkLines, started, started + seconds * 1000);
  await stopWorker(tp);
  await es.indices.refresh({ index: tp.index });
  const docs = (await es.count({ index: tp.index })).count;

  // Phase 2: latency at a steady rate.
  const lat = await startWorker('latency', 'debug');
  await runProducer(brokers, lat.topic, RATE * SECONDS, RATE);
  const samples = () => lat.worker.service.logLines().filter((l) => l['message'] === 'Indexed message into Elasticsearch' && typeof l['appendToIndexedMs'] === 'number');
  await waitFor(() => samples().length >= RATE * SECONDS, { timeoutMs: 120_000, intervalMs: 500, what: 'every latency sample' });
  const latencies = samples()
    .map((l) => l['appendToIndexedMs'] as number)
    .sort((a, b) => a - b);
  await stopWorker(lat);
  await es.close();
  await admin.disconnect();
  if (CPU_PROF_DIR) {
    esProc.kill('SIGTERM'); // a profile is written at a clean exit only
    await esProc.exited;
  }

  const result = {
    events: EVENTS,
    partitions: PARTITIONS,
    events_per_s: Math.round(EVENTS / seconds),
    throughput_seconds: Math.round(seconds * 10) / 10,
    worker_cpu_s: Math.round(workerCpu * 10) / 10,
    worker_cpu_us_per_event: Math.round((workerCpu * 1e6) / EVENTS),
    search_server_cpu_us_per_event: Math.round((esCpu * 1e6) / EVENTS),
    broker_cpu_us_per_event: Math.round((brokerCpu * 1e6) / EVENTS),
    bulk_requests: bulkLines.length,
    bulk_in_flight_share: Math.round(bulkShare * 100) / 100,
    bulk_mean_ms: Math.round(bulkLines.reduce((s, l) => s + Number(l['tookMs'] ?? 0), 0) / Math.max(1, bulkLines.length)),
    documents_in_index: docs,
    latency_rate_per_s: RATE,
    latency_samples: latencies.length,
    append_to_indexed_p50_ms: percentile(latencies, 50),
    append_to_indexed_p99_ms: percentile(latencies, 99),
    append_to_indexed_max_ms: latencies[latencies.length - 1],
    max_rss_mb: Math.round(maxRss),
  };
  console.log(
    `throughput: ${result.events_per_s} events/s over ${EVENTS} events (${docs} documents); at ${RATE}/s: p50 ${result.append_to_indexed_p50_ms} ms, p99 ${result.append_to_indexed_p99_ms} ms; worker max RSS ${result.max_rss_mb} MB`,
  );
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

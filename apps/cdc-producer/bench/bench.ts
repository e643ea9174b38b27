/**
 * Producer benchmark: `npm run bench:producer` (last line: one JSON object).
 * 1. Throughput: BACKLOG message inserts (500-byte content, 1,000-row transactions) are committed while the producer
 *    is stopped; the producer (its own process, from its production bundle) is started and the rate from its first to its last Kafka
 *    acknowledgement is measured (`changes_per_s`).
 * 2. Latency: a fresh producer process (after one warm-up change: a restarted walsender first re-decodes the WAL
 *    from the slot's restart point, the whole backlog), writer at RATE changes/s (10-row transactions) for LATENCY_SECONDS; p99 of
 *    the producer's own commit-to-Kafka-ack histogram, interpolated within buckets (`commit_to_ack_p99_ms`).
 * Resident memory of the producer process is sampled every 250 ms throughout (`max_rss_mb`).
 * Real PostgreSQL 15 (harness) and the embedded Kafka broker (in this process) on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { startEmbeddedKafka } from '@nova/embedded-kafka';
import { createSql } from '@nova/postgres';
import { migrate, startPostgres } from '@nova/postgres-harness';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT, deployedNode, freePort, histogramQuantileMs, processCpuSeconds, readHistogram, waitFor } from '@nova/testing';

const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 100_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 15);
const CONTENT = 'x'.repeat(500);
/** Set to a directory to write V8 CPU profiles of the producer processes there (profiling only, not for figures). */
const CPU_PROF_DIR = process.env['BENCH_CPU_PROF_DIR'];
/** Set to a file to append every producer process's output to it (e.g. with BENCH_PRODUCER_NODE_FLAGS=--trace-gc). */
const OUTPUT_FILE = process.env['BENCH_PRODUCER_OUTPUT'];

interface Producer {
  child: ChildProcess;
  port: number;
  exited: Promise<number | string>;
  output(): string;
}

/**
 * How the producer is deployed: the Node flags of its image's `CMD ["node", ...flags, "main.js"]` and the runtime
 * stage's `ENV NODE_OPTIONS` (apps/cdc-producer/Dockerfile), so the benchmark runs the bundle exactly as deployed.
 * BENCH_PRODUCER_NODE_FLAGS (space-separated) replaces both for experiments only.
 */
const EXPERIMENT_FLAGS = process.env['BENCH_PRODUCER_NODE_FLAGS'];
const DEPLOYED = EXPERIMENT_FLAGS === undefined ? deployedNode('cdc-producer') : { flags: EXPERIMENT_FLAGS.split(' ').filter(Boolean), nodeOptions: undefined };
const NODE_FLAGS = DEPLOYED.flags;

/** The producer as its own Node process from its production bundle (`nx build`), as deployed. */
function spawnProducer(env: Record<string, string>): Omit<Producer, 'port'> {
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profile, path.join(WORKSPACE_ROOT, 'dist/apps/cdc-producer/main.js')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, NODE_OPTIONS: DEPLOYED.nodeOptions ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
    if (OUTPUT_FILE) appendFileSync(OUTPUT_FILE, d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  process.once('exit', () => child.kill('SIGKILL'));
  return { child, exited, output: () => out };
}

async function scrape(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}
function sumMetric(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))
    .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
}
async function main() {
  execFileSync(path.join(WORKSPACE_ROOT, 'node_modules/.bin/nx'), ['run', 'cdc-producer:build'], { cwd: WORKSPACE_ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  const log = (msg: string, extra: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ bench: 'producer', msg, ...extra })}\n`);
  const pg = await startPostgres();
  const broker = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0 });
  const url = pg.url;
  await migrate(url);
  const sql = createSql(url, { max: 4 });
  const userId = randomUUID();
  const convId = randomUUID();
  await sql`insert into users (id, username, display_name) values (${userId}, 'bench', 'Bench')`;
  await sql`insert into conversations (id) values (${convId})`;
  const env = { DATABASE_URL: url, KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'warn', CDC_HEARTBEAT_INTERVAL_MS: '1000' };
  let maxRss = 0;
  let atMaxRss: Record<string, number> = {};
  let current: Producer | undefined;
  const sampler = setInterval(() => {
    if (!current) return;
    scrape(current.port)
      .then((t) => {
        const rss = sumMetric(t, 'process_resident_memory_bytes');
        if (rss <= maxRss) return;
        maxRss = rss;
        // What the resident memory was made of at its peak (V8 heap committed / used, memory outside the V8 heap).
        const mb = (name: string) => Math.round(sumMetric(t, name) / 1024 / 1024);
        atMaxRss = { heap_total_mb: mb('nodejs_heap_size_total_bytes'), heap_used_mb: mb('nodejs_heap_size_used_bytes'), external_mb: mb('nodejs_external_memory_bytes') };
      })
      .catch(() => undefined);
  }, 250);
  const start = async (): Promise<Producer> => {
    const port = await freePort();
    current = { ...spawnProducer({ ...env, PORT: String(port) }), port };
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: 'producer streaming',
    });
    return current!;
  };
  const stop = async (p: Producer) => {
    p.child.kill('SIGTERM');
    const code = await p.exited;
    if (code !== 0) throw new Error(`producer exited with ${code}: ${p.output().slice(-2000)}`);
  };

  try {
    // Phase 1: create the slot (empty snapshot), stop, commit the backlog, restart and time the catch-up.
    await stop(await start());
    log('writing backlog', { changes: BACKLOG });
    for (let done = 0; done < BACKLOG; done += 1_000) {
      await sql`insert into messages (id, conversation_id, sender_id, content)
        select gen_random_uuid(), ${convId}, ${userId}, ${CONTENT} || i from generate_series(1, ${Math.min(1_000, BACKLOG - done)}) as i`;
    }
    const p1 = await start();
    let t0 = 0;
    let c0 = 0;
    let t1 = 0;
    let cpu0 = 0;
    let cpu1 = 0;
    let gc0 = 0;
    let gc1 = 0;
    await waitFor(
      async () => {
        const text = await scrape(p1.port);
        const n = sumMetric(text, 'nova_producer_events_published_total');
        if (!t0 && n > 0) [t0, c0, cpu0, gc0] = [Date.now(), n, processCpuSeconds(p1.child.pid), sumMetric(text, 'nodejs_gc_duration_seconds_sum')];
        if (n >= BACKLOG) [t1, cpu1, gc1] = [Date.now(), processCpuSeconds(p1.child.pid), sumMetric(text, 'nodejs_gc_duration_seconds_sum')];
        return n >= BACKLOG;
      },
      { timeoutMs: 600_000, intervalMs: 200, what: 'backlog published' },
    );
    const changesPerS = Math.round((BACKLOG - c0) / ((t1 - t0) / 1000));
    // CPU the producer process spent per 1,000 changes during the catch-up (insensitive to other tenants' load).
    const cpuMsPer1k = Math.round(((cpu1 - cpu0) * 1000 * 1000) / Math.max(1, BACKLOG - c0) * 10) / 10;
    const gcMsPer1k = Math.round(((gc1 - gc0) * 1000 * 1000) / Math.max(1, BACKLOG - c0) * 10) / 10;
    log('throughput', { changes_per_s: changesPerS, seconds: (t1 - t0) / 1000, cpu_s: cpu1 - cpu0, cpu_ms_per_1k_changes: cpuMsPer1k, gc_ms_per_1k_changes: gcMsPer1k });
    await stop(p1);

    // Phase 2: steady writer at RATE changes/s, fresh producer process (fresh histogram).
    const p2 = await start();
    // A restarted walsender first decodes the WAL from the slot's restart point again (the whole backlog above);
    // one warm-up change published means that is behind us and the timed phase measures steady state.
    await sql`insert into messages (id, conversation_id, sender_id, content) values (gen_random_uuid(), ${convId}, ${userId}, 'warm-up')`;
    await waitFor(async () => sumMetric(await scrape(p2.port), 'nova_producer_events_published_total') >= 1, { timeoutMs: 120_000 });
    const began = Date.now();
    let written = 1;
    while (Date.now() - began < LATENCY_SECONDS * 1000) {
      await sql`insert into messages (id, conversation_id, sender_id, content)
        select gen_random_uuid(), ${convId}, ${userId}, ${CONTENT} || i from generate_series(1, 10) as i`;
      written += 10;
      const ahead = written / RATE - (Date.now() - began) / 1000;
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead * 1000));
    }
    await waitFor(async () => sumMetric(await scrape(p2.port), 'nova_producer_events_published_total') >= written, { timeoutMs: 60_000 });
    const text = await scrape(p2.port);
    const p99 = Math.round(histogramQuantileMs(readHistogram(text, 'nova_producer_commit_to_ack_seconds'), 0.99) * 10) / 10;
    log('latency', { rate: RATE, written, commit_to_ack_p99_ms: p99 });
    await stop(p2);
    current = undefined;
    process.stdout.write(
      `${JSON.stringify({
        changes_per_s: changesPerS,
        catch_up_cpu_ms_per_1k_changes: cpuMsPer1k,
        catch_up_gc_ms_per_1k_changes: gcMsPer1k,
        commit_to_ack_p99_ms: p99,
        max_rss_mb: Math.round(maxRss / 1024 / 1024),
        at_max_rss: atMaxRss,
        backlog_changes: BACKLOG,
        latency_rate_per_s: RATE,
        latency_changes: written,
        content_bytes: CONTENT.length,
        node_flags: NODE_FLAGS.join(' '),
        node_options: DEPLOYED.nodeOptions ?? '',
        load_average_1m: Math.round(loadavg()[0] * 10) / 10,
      })}\n`,
    );
  } finally {
    clearInterval(sampler);
    current?.child.kill('SIGKILL');
    await sql.end();
    await broker.stop();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

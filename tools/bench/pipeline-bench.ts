/**
 * `npm run bench`: the whole chain on this machine, every component its own process. Measures changes/s end to end,
 * commit-to-searchable latency at a steady 1,000 changes/s (time from the PostgreSQL COMMIT until the search API
 * returns the change), search latency under that load, and the peak resident memory of every process.
 * Writes its table into docs/benchmarks.md and prints one JSON object as its last line.
 *
 *   npm run bench [-- --changes 100000 --steady-seconds 30]
 *
 * BENCH_CPU_PROF_DIR=<dir> writes a V8 CPU profile of every process but PostgreSQL into <dir>/<process>/ (profiling
 * slows them: read the profiles for shares, not the figures of that run, which is therefore not written to the docs).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from '@elastic/elasticsearch';
import jwt from 'jsonwebtoken';
import { createSql, type Sql } from '@nova/postgres';
import { migrate, startPostgres } from '@nova/postgres-harness';
import { freePort, histogramQuantileMs, numberArg, readHistogram, type HistogramBuckets } from '@nova/testing';
import { createWorld, runMixedWorkload, type WorkloadWorld } from '../e2e/workload';
import { ROOT, httpOk, scriptEntry, startAppProcess, startTsProcess, tcpOpen, waitUntil, type ManagedProcess } from '../launcher/processes';
import { RssSampler, percentile } from './bench-support';

const TOTAL_CHANGES = numberArg('changes', 100_000);
const STEADY_SECONDS = numberArg('steady-seconds', 30);
const STEADY_RATE = numberArg('rate', 1000);
const CPU_PROF_DIR = process.env['BENCH_CPU_PROF_DIR'];
const profileFlags = (name: string) => (CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(CPU_PROF_DIR, name)}`] : []);
const AUTH = { secret: randomBytes(16).toString('hex'), issuer: 'nova-bench', audience: 'nova-search' };

async function main() {
  const started: ManagedProcess[] = [];
  const pg = await startPostgres();
  const sampler = new RssSampler();
  try {
    const admin = createSql(pg.url, { max: 1 });
    await admin.unsafe('create database nova_bench');
    await admin.end();
    const dbUrl = pg.url.replace(/\/postgres$/, '/nova_bench');
    await migrate(dbUrl);
    sampler.addPostgres(pg.pid!);

    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const kafkaPort = await freePort();
    const kafka = startTsProcess('bench-embedded-kafka', scriptEntry(scripts, 'embedded:kafka')!, ['--port', String(kafkaPort)], {}, profileFlags('embedded-kafka'));
    started.push(kafka);
    await waitUntil('embedded kafka', tcpOpen('127.0.0.1', kafkaPort), 60_000, kafka);
    const esPort = await freePort();
    const es = startTsProcess('bench-embedded-elasticsearch', scriptEntry(scripts, 'embedded:es')!, ['--port', String(esPort)], {}, profileFlags('embedded-elasticsearch'));
    started.push(es);
    const esUrl = `http://127.0.0.1:${esPort}`;
    await waitUntil('embedded elasticsearch', httpOk(esUrl), 60_000, es);
    sampler.add('embedded-kafka', kafka.child.pid!);
    sampler.add('embedded-elasticsearch', es.child.pid!);

    const common = { DATABASE_URL: dbUrl, KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, ELASTICSEARCH_URL: esUrl, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
    const apps: Record<string, { env: Record<string, string>; port: number }> = {
      'cdc-producer': { env: common, port: await freePort() },
      'indexer-worker': { env: common, port: await freePort() },
      'search-api': {
        env: {
          ...common,
          AUTH_JWT_SECRET: AUTH.secret,
          AUTH_JWT_ISSUER: AUTH.issuer,
          AUTH_JWT_AUDIENCE: AUTH.audience,
          SEARCH_RATE_LIMIT_PER_USER: '100000',
          SEARCH_RATE_LIMIT_PER_IP: '100000',
        },
        port: await freePort(),
      },
    };
    // The apps run from their production bundles (`nx build`) with their images' Node settings, as deployed.
    execFileSync(path.join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', ...Object.keys(apps)], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    for (const [name, { env, port }] of Object.entries(apps)) {
      const proc = startAppProcess(`bench-${name}`, name, `dist/apps/${name}/main.js`, { ...env, PORT: String(port) }, profileFlags(name));
      started.push(proc);
      await waitUntil(name, httpOk(`http://127.0.0.1:${port}/health/${name === 'search-api' ? 'live' : 'ready'}`), 90_000, proc);
      sampler.add(name, proc.child.pid!);
    }
    sampler.start();
    const api = `http://127.0.0.1:${apps['search-api'].port}`;
    const sql = createSql(dbUrl, { max: 8 });
    const esClient = new Client({ node: esUrl });
    const world = await createWorld(sql, 20, 10);

    // Phase 1: throughput. Write as fast as one writer can; the clock stops when the index holds every change.
    process.stderr.write(`throughput: ${TOTAL_CHANGES} changes\n`);
    const cpuBefore = { ...sampler.cpuSeconds(), bench: processSeconds() };
    const t0 = Date.now();
    const stats = await runMixedWorkload(sql, world, { changes: TOTAL_CHANGES, batch: 500, seed: 3 });
    const writeSeconds = (Date.now() - t0) / 1000;
    await waitUntilIndexed(sql, esClient, 600_000);
    const chainSeconds = (Date.now() - t0) / 1000;
    const changesPerS = Math.round(stats.changes / chainSeconds);
    // Where two cores' worth of CPU went while the chain caught up: each process's CPU per 1,000 changes.
    const cpuAfter: Record<string, number> = { ...sampler.cpuSeconds(), bench: processSeconds() };
    const cpuPer1k = Object.fromEntries(Object.entries(cpuBefore).map(([k, v]) => [k, Math.round(((cpuAfter[k]! - v) * 1e6) / stats.changes)]));
    process.stderr.write(`  ${stats.changes} changes written in ${writeSeconds.toFixed(1)} s, indexed after ${chainSeconds.toFixed(1)} s\n`);

    // Phase 2: steady 1,000 changes/s; probes measure commit-to-searchable, a search loop measures search latency.
    process.stderr.write(`steady: ${STEADY_RATE} changes/s for ${STEADY_SECONDS} s\n`);
    const stagesBefore = await readStages(apps);
    // The bench's own event-loop delay: how much of the client-side latencies is this process being late.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const steady = await steadyPhase(sql, world, api);
    loopDelay.disable();
    const stages = stageLatencies(stagesBefore, await readStages(apps));

    await sql.end();
    await esClient.close();
    const maxRss = sampler.stop();
    const result = {
      changes_per_s: changesPerS,
      cpu_ms_per_1k_changes: cpuPer1k,
      commit_to_searchable_p50_ms: percentile(steady.latencies, 50),
      commit_to_searchable_p95_ms: percentile(steady.latencies, 95),
      commit_to_searchable_p99_ms: percentile(steady.latencies, 99),
      search_p99_ms: percentile(steady.searches, 99),
      search_p50_ms: percentile(steady.searches, 50),
      probes: steady.latencies.length,
      steady_changes_per_s: steady.rate,
      ...stages,
      bench_event_loop_delay_p99_ms: Math.round(loopDelay.percentile(99) / 1e6),
      max_rss_mb: maxRss,
    };
    if (!CPU_PROF_DIR) writeReport(result, stats.changes);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const p of started.reverse()) await p.stop();
    await pg.stop();
  }
}

/** This process's CPU seconds (the writer, and the polling that detects the end of the throughput phase). */
function processSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * The apps' own latency histograms: PostgreSQL commit to Kafka ack (producer), commit to indexed and one bulk request
 * (indexer), one search request as the API timed it (its share of the client-side search latency).
 */
const STAGES = {
  producer_commit_to_ack: ['cdc-producer', 'nova_producer_commit_to_ack_seconds'],
  indexer_commit_to_indexed: ['indexer-worker', 'nova_indexer_commit_to_indexed_seconds'],
  indexer_bulk: ['indexer-worker', 'nova_indexer_bulk_duration_seconds'],
  api_request: ['search-api', 'nova_search_request_duration_seconds'],
} as const;
type StageReadings = Record<keyof typeof STAGES, HistogramBuckets>;

async function readStages(apps: Record<string, { port: number }>): Promise<StageReadings> {
  const entries = await Promise.all(
    Object.entries(STAGES).map(async ([stage, [app, metric]]) => {
      const text = await (await fetch(`http://127.0.0.1:${apps[app]!.port}/metrics`)).text();
      return [stage, readHistogram(text, metric)] as const;
    }),
  );
  return Object.fromEntries(entries) as StageReadings;
}

/** p50/p99 of each stage over what it observed between two readings (the steady phase only). */
function stageLatencies(before: StageReadings, after: StageReadings): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stage of Object.keys(STAGES) as Array<keyof typeof STAGES>) {
    for (const q of [50, 99]) out[`${stage}_p${q}_ms`] = Math.round(histogramQuantileMs(after[stage], q / 100, before[stage]));
  }
  return out;
}

/**
 * Waits until the live documents behind the aliases equal the live rows. The writer has finished, so the rows are
 * counted once; only the index is polled (refresh + count every 100 ms), keeping the bench's own load on PostgreSQL
 * out of the phase it measures.
 */
async function waitUntilIndexed(sql: Sql, es: Client, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const [{ m, p }] = await sql<{ m: bigint; p: bigint }[]>`
    select (select count(*) from messages where deleted_at is null)::bigint as m, (select count(*) from posts where deleted_at is null)::bigint as p`;
  const count = async (index: string) => {
    await es.indices.refresh({ index }).catch(() => undefined);
    return (await es.count({ index, query: { term: { deleted: false } } }).catch(() => ({ count: -1 }))).count;
  };
  for (;;) {
    if ((await count('nova_messages')) === Number(m) && (await count('nova_posts')) === Number(p)) return;
    if (Date.now() > deadline) throw new Error('the index did not catch up');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function steadyPhase(sql: Sql, world: WorkloadWorld, api: string) {
  const latencies: number[] = [];
  const searches: number[] = [];
  const member = world.conversations[0].members[0];
  const token = jwt.sign({ sub: member }, AUTH.secret, { algorithm: 'HS256', issuer: AUTH.issuer, audience: AUTH.audience, expiresIn: '1h' });
  const headers = { authorization: `Bearer ${token}` };
  const end = Date.now() + STEADY_SECONDS * 1000;
  const pending: Array<Promise<void>> = [];
  let written = 0;

  // Background load: STEADY_RATE changes/s as 20 transactions a second.
  const load = (async () => {
    const perTick = Math.max(1, Math.round(STEADY_RATE / 20));
    let next = Date.now();
    while (Date.now() < end) {
      const s = await runMixedWorkload(sql, world, { changes: perTick, batch: Math.max(1, Math.round(perTick / 1.6)), seed: next % 10_000 });
      written += s.changes;
      next += 50;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
  })();

  // Probes: a message with a unique word every 250 ms; latency = COMMIT returned -> the API returns it.
  const probes = (async () => {
    while (Date.now() < end) {
      const word = `probe${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const c = world.conversations[0];
      await sql`insert into messages ${sql({ id: randomUUID(), conversation_id: c.id, sender_id: member, content: `latency ${word}` })}`;
      const committed = performance.now();
      pending.push(
        (async () => {
          for (;;) {
            const res = await fetch(`${api}/api/v1/search/messages?q=${word}`, { headers });
            const body = (await res.json()) as { hits?: unknown[] };
            if (body.hits && body.hits.length > 0) return void latencies.push(Math.round(performance.now() - committed));
            if (performance.now() - committed > 30_000) return void latencies.push(30_000);
            await new Promise((r) => setTimeout(r, 10));
          }
        })(),
      );
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  // Searches under the same load: 20 per second, common words.
  const searchLoop = (async () => {
    const words = ['alpha', 'bravo delta', '北京', 'echo -golf', '"alpha bravo"'];
    let i = 0;
    while (Date.now() < end) {
      const t = performance.now();
      await fetch(`${api}/api/v1/search/messages?q=${encodeURIComponent(words[i++ % words.length])}`, { headers }).then((r) => r.arrayBuffer());
      searches.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  await Promise.all([load, probes, searchLoop]);
  await Promise.all(pending);
  return { latencies, searches, rate: Math.round(written / STEADY_SECONDS) };
}

function writeReport(result: Record<string, unknown> & { max_rss_mb: Record<string, number> }, changes: number) {
  const file = path.join(ROOT, 'docs/benchmarks.md');
  const rss = Object.entries(result.max_rss_mb).map(([k, v]) => `${k} ${v} MB`).join(', ');
  const section = [
    '<!-- bench:pipeline:start -->',
    '## Whole chain (`npm run bench`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} vCPU (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB,`,
    `every process on this one machine: PostgreSQL, embedded broker, embedded search server, the three apps. Command: \`npm run bench\`.`,
    '',
    '| figure | result | target |',
    '|---|---|---|',
    `| changes/s through the whole chain (${changes} changes, commit to indexed) | ${result['changes_per_s']} | ≥ 10,000 |`,
    `| CPU per 1,000 changes in that phase (ms, per process; two cores give 2,000 ms per second) | ${Object.entries(result['cpu_ms_per_1k_changes'] as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ')} | |`,
    `| commit-to-searchable p50 / p95 / p99 at ${result['steady_changes_per_s']} changes/s (${result['probes']} probes, refresh 1 s) | ${result['commit_to_searchable_p50_ms']} / ${result['commit_to_searchable_p95_ms']} / ${result['commit_to_searchable_p99_ms']} ms | p99 < 1,500 ms |`,
    `| of which, p50 / p99 from the apps' histograms (steady phase): producer commit-to-ack; indexer commit-to-indexed; indexer bulk request | ${result['producer_commit_to_ack_p50_ms']} / ${result['producer_commit_to_ack_p99_ms']} ms; ${result['indexer_commit_to_indexed_p50_ms']} / ${result['indexer_commit_to_indexed_p99_ms']} ms; ${result['indexer_bulk_p50_ms']} / ${result['indexer_bulk_p99_ms']} ms | |`,
    `| search latency p50 / p99 under that load (client side; API's own timing) | ${result['search_p50_ms']} / ${result['search_p99_ms']} ms (${result['api_request_p50_ms']} / ${result['api_request_p99_ms']} ms) | |`,
    `| peak resident memory | ${rss} | producer < 200 MB, indexer < 256 MB, API < 150 MB, broker < 1 GiB, search server < 2 GiB |`,
    '<!-- bench:pipeline:end -->',
  ].join('\n');
  const text = readFileSync(file, 'utf8');
  const re = /<!-- bench:pipeline:start -->[\s\S]*<!-- bench:pipeline:end -->/;
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

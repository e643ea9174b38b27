/**
 * `npm run bench:api [-- --messages 200000 --rate 200 --duration 20]`
 *
 * Loads PostgreSQL (harness) with users, conversations and messages, indexes the same messages into the embedded
 * search server, then drives the search API (its own process) at a constant request rate (one request every 1/rate s,
 * each timed from its scheduled send time: paced-load.ts), then in autocannon's bursts at the same rate for
 * comparison: first with Elasticsearch, then with Elasticsearch disabled (the PostgreSQL fallback path). Queries are random one- or two-word
 * searches (some Chinese) by random users over their own conversations. Reports p50/p99 latency per path and the
 * API's peak resident memory. The last line is one JSON object.
 * `--diagnose` also times each backend alone and prints PostgreSQL plans; `--hold` seeds, writes the servers' URLs to
 * tmp/bench-api/hold.json and keeps them up (for EXPLAIN and profiling) until interrupted.
 * Every run also prints, per path, the plain latency distribution per query class (one word, two words, Chinese of
 * two / three or more characters) and the CPU per request of the API, its PostgreSQL sessions and the search server;
 * `--request-log FILE` writes every measured request as a JSON line.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from '@elastic/elasticsearch';
import jwt from 'jsonwebtoken';
import { createSql, type Sql } from '@nova/postgres';
import { CpuMeter, RequestRecorder } from './request-log';
import { runPaced } from './paced-load';
import { ElasticsearchSearchBackend } from '../src/backends/elasticsearch-backend';
import { PostgresSearchBackend } from '../src/backends/postgres-backend';
import { parseQuery } from '../src/query/query-parser';
import { migrate, startPostgres } from '@nova/postgres-harness';
import { MESSAGE_MAPPINGS, POST_MAPPINGS, concreteIndexName, indexSettings } from '@nova/search-index';
import { deployedNode, freePort, numberArg, processMemoryMb, waitForHttpOk, WORKSPACE_ROOT, zipfWords } from '@nova/testing';

const MESSAGES = numberArg('messages', 200_000);
const RATE = numberArg('rate', 200);
/** Optionally also measure at a lower rate first, to show where the latency target holds on this machine. */
const LOW_RATE = numberArg('low-rate', 0);
const DURATION_S = numberArg('duration', 20);
const CONNECTIONS = numberArg('connections', 20);
const USERS = 2_000;
const CONVERSATIONS = 4_000;
const REQUEST_LOG = process.argv.includes('--request-log') ? process.argv[process.argv.indexOf('--request-log') + 1] : undefined;
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const log = (s: string) => process.stderr.write(`${s}\n`);

let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;

// Zipf-distributed words from a 5,000-word vocabulary, with a Chinese sentence in one message of ten.
const word = zipfWords({ syllables: ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'do', 'fa', 'gi', 'ha', 'ju', 'ko', 'pe'], size: 5_000, firstIndex: 20, rand });
const ZH = ['我们明天去北京开会', '搜索引擎的性能很好', '数据库备份已经完成', '请查看最新的发布说明', '东京的天气很好'];
const ZH_QUERIES = ['北京', '搜索', '数据库', '发布', '天气'];
const text = () => Array.from({ length: 8 + Math.floor(rand() * 20) }, word).join(' ') + (rand() < 0.1 ? ` ${pick(ZH)}` : '');

let queryList: string[] | undefined;
function queries0(): string[] {
  queryList ??= [...Array.from({ length: 200 }, () => (rand() < 0.5 ? word() : `${word()} ${word()}`)), ...ZH_QUERIES];
  return queryList;
}

/** Backend cost without HTTP: sequential searches straight through each backend, and PostgreSQL plans. */
async function diagnose(sql: Sql, esUrl: string, users: string[], members: Map<string, string[]>, queries: string[]) {
  const byUser = new Map<string, string[]>();
  for (const [c, us] of members) for (const u of us) byUser.set(u, [...(byUser.get(u) ?? []), c]);
  const client = new Client({ node: esUrl });
  const es = new ElasticsearchSearchBackend({ client, messageIndex: 'nova_messages', postIndex: 'nova_posts', deadlineMs: 10_000 });
  const pgb = new PostgresSearchBackend(sql);
  const explain = new PostgresSearchBackend({ unsafe: async (text: string, params: unknown[]) => {
    const plan = await sql.unsafe(`explain (analyze, buffers) ${text}`, params as never[]);
    log(plan.map((r) => (r as Record<string, string>)['QUERY PLAN']).join('\n'));
    return [];
  } } as unknown as Sql);
  // Each backend gets the query in the form the API sends it: conversation ids for Elasticsearch, the caller's id
  // for PostgreSQL (which reads the memberships in the same statement).
  const query = (i: number, backend: 'elasticsearch' | 'postgres') => {
    const user = users[i % users.length] as string;
    const scope = backend === 'elasticsearch' ? { conversationIds: byUser.get(user) ?? [] } : { memberId: user };
    return { entity: 'message' as const, query: parseQuery(queries[i % queries.length] as string), sort: 'relevance' as const, size: 21, ...scope };
  };
  for (const i of [0, 1, 201]) await explain.search(query(i, 'postgres'));
  for (const [name, b] of [['elasticsearch', es], ['postgres', pgb]] as const) {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await b.search(query(i, name), AbortSignal.timeout(10_000));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    log(`${name} direct: p50=${times[100]?.toFixed(1)} ms p99=${times[198]?.toFixed(1)} ms max=${times[199]?.toFixed(1)} ms`);
  }
  await client.close();
}

/** The API as it is deployed: the bundle `nx build search-api` makes, started with the Node flags of its Dockerfile. */
function buildApiBundle(): string {
  execFileSync(path.join(WORKSPACE_ROOT, 'node_modules/.bin/nx'), ['run', 'search-api:build'], { cwd: WORKSPACE_ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  return path.join(WORKSPACE_ROOT, 'dist/apps/search-api/main.js');
}

function startNode(entry: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  // `node --import tsx` runs the program in this child itself, so its pid is the one whose memory we read.
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : process.env['BENCH_API_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir=' + process.env['BENCH_API_PROFILE']] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, path.resolve(WORKSPACE_ROOT, entry), ...args], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function main() {
  const pg = await startPostgres({ settings: { shared_buffers: '256MB' } });
  await migrate(pg.url);
  const sql = createSql(pg.url, { max: 4 });
  const esPort = await freePort();
  const es = startNode('apps/search-api/bench/search-server.ts', ['--port', String(esPort)], {});
  const esUrl = `http://127.0.0.1:${esPort}`;
  let api: ChildProcess | undefined;
  try {
    log(`seeding ${MESSAGES} messages, ${USERS} users, ${CONVERSATIONS} conversations`);
    const users = Array.from({ length: USERS }, () => randomUUID());
    for (let i = 0; i < users.length; i += 1000) {
      await sql`insert into users ${sql(users.slice(i, i + 1000).map((id, j) => ({ id, username: `u${i + j}`, display_name: 'User' })))}`;
    }
    const conversations = Array.from({ length: CONVERSATIONS }, () => randomUUID());
    const members = new Map<string, string[]>();
    const memberRows: Array<{ conversation_id: string; user_id: string }> = [];
    await sql`insert into conversations ${sql(conversations.map((id) => ({ id })))}`;
    for (const c of conversations) {
      const set = new Set<string>();
      while (set.size < 2 + Math.floor(rand() * 4)) set.add(pick(users));
      members.set(c, [...set]);
      for (const u of set) memberRows.push({ conversation_id: c, user_id: u });
    }
    for (let i = 0; i < memberRows.length; i += 5000) await sql`insert into conversation_members ${sql(memberRows.slice(i, i + 5000))}`;

    const client = new Client({ node: esUrl });
    await waitForHttpOk(esUrl);
    const alias = 'nova_messages';
    await client.indices.create({ index: concreteIndexName('nova_posts'), settings: indexSettings(), mappings: POST_MAPPINGS as never, aliases: { nova_posts: {} } });
    await client.indices.create({ index: concreteIndexName(alias), settings: indexSettings({ refreshInterval: '-1' }), mappings: MESSAGE_MAPPINGS as never, aliases: { [alias]: {} } });
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < MESSAGES; i += 5000) {
      const rows = Array.from({ length: Math.min(5000, MESSAGES - i) }, (_, j) => {
        const conversation_id = pick(conversations);
        return { id: randomUUID(), conversation_id, sender_id: pick(members.get(conversation_id) as string[]), content: text(), created_at: new Date(base + (i + j) * 1000) };
      });
      await sql`insert into messages ${sql(rows)}`;
      const operations = rows.flatMap((r) => [
        { index: { _index: alias, _id: r.id } },
        { ...r, created_at: r.created_at.toISOString(), edited_at: null, deleted: false, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: new Date().toISOString() },
      ]);
      const res = await client.bulk({ operations });
      if (res.errors) throw new Error('bulk indexing failed');
    }
    await client.indices.refresh({ index: alias });
    await sql`vacuum analyze`;
    await client.close();
    log('seeded');

    if (process.argv.includes('--diagnose')) await diagnose(sql, esUrl, users, members, queries0());
    if (process.argv.includes('--hold')) {
      // Keep the seeded servers up for manual EXPLAIN / profiling until SIGINT or SIGTERM.
      const file = path.join(WORKSPACE_ROOT, 'tmp/bench-api/hold.json');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ databaseUrl: pg.url, elasticsearchUrl: esUrl, secret: SECRET, queries: queries0() }));
      log(`holding (details in ${file}): DATABASE_URL=${pg.url} ELASTICSEARCH_URL=${esUrl}`);
      await new Promise((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, resolve)));
      return;
    }
    const apiEntry = buildApiBundle();
    const deployed = deployedNode('search-api');
    const nodeOptions = process.env['BENCH_API_NODE_OPTIONS'] ?? deployed.nodeOptions ?? '';
    log(`api: ${path.relative(WORKSPACE_ROOT, apiEntry)}, node flags [${deployed.flags.join(' ')}], NODE_OPTIONS=${nodeOptions} (from the Dockerfile unless BENCH_API_NODE_OPTIONS)`);
    const queries = queries0();
    const tokens = users.map((u) => jwt.sign({ sub: u }, SECRET, { algorithm: 'HS256', issuer: 'nova', audience: 'nova-search', expiresIn: '2h' }));
    const results: Record<string, { p50: number; p99: number; rps: number; non2xx: number; backend: string }> = {};
    let maxRss = 0;
    const lowResults: Record<string, { p50: number; p99: number }> = {};
    const burstResults: Record<string, { p50: number; p99: number }> = {};
    const cpuPerRequest: Record<string, Record<string, number>> = {};

    for (const mode of ['elasticsearch', 'postgres'] as const) {
      const port = await freePort();
      api = startNode(apiEntry, [], {
        PORT: String(port),
        DATABASE_URL: pg.url,
        ELASTICSEARCH_URL: esUrl,
        SEARCH_ELASTICSEARCH_ENABLED: mode === 'elasticsearch' ? 'true' : 'false',
        AUTH_JWT_SECRET: SECRET,
        SEARCH_RATE_LIMIT_PER_IP: '100000',
        SEARCH_RATE_LIMIT_PER_USER: '100000',
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: nodeOptions,
      }, deployed.flags);
      const url = `http://127.0.0.1:${port}`;
      await waitForHttpOk(`${url}/health/ready`, 60_000);
      const pid = api.pid as number;
      log(`${mode}: api pid ${pid}`);
      const sampler = setInterval(() => (maxRss = Math.max(maxRss, processMemoryMb(pid))), 100);
      // Which backend answers (checked once, outside the measurement).
      const probe = (await (await fetch(`${url}/api/v1/search/messages?q=${queries[0]}`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json()) as { backend: string };
      const request = (context: Record<string, unknown>) => {
        const q = pick(queries);
        context['q'] = q;
        return { method: 'GET' as const, path: `/api/v1/search/messages?q=${encodeURIComponent(q)}&limit=20`, headers: { authorization: `Bearer ${pick(tokens)}` } };
      };
      // Bursts as autocannon sends them (see paced-load.ts), for comparison with earlier runs.
      const burst = (duration: number, rate: number, recorder = new RequestRecorder(mode)) =>
        autocannon({
          url,
          connections: CONNECTIONS,
          overallRate: rate,
          duration,
          requests: [{ setupRequest: (r, context) => ({ ...r, ...request(context) }), onResponse: recorder.onResponse }],
        }).on('response', recorder.onLatency);
      // The headline: a constant 200 requests/s, each timed from its scheduled send time.
      const steady = async (duration: number, rate: number, recorder = new RequestRecorder(mode)) => {
        const r = await runPaced({
          url,
          rate,
          durationS: duration,
          next: () => {
            const context: Record<string, unknown> = {};
            const { path: p, headers } = request(context);
            return {
              path: p,
              headers,
              onAnswer: (status, body, ms) => {
                recorder.onResponse(status, body, context);
                recorder.onLatency(undefined, status, 0, ms);
              },
            };
          },
        });
        const all = recorder.summary()['all'];
        const answered = all !== undefined && all.n > 0;
        return { p50: answered ? all.p50 : NaN, p99: answered ? all.p99 : NaN, rps: r.sentPerS, non2xx: r.non2xx, errors: r.errors };
      };
      await steady(3, RATE); // warm-up
      if (LOW_RATE > 0) {
        const low = await steady(DURATION_S, LOW_RATE);
        lowResults[mode] = { p50: low.p50, p99: low.p99 };
        log(`${mode} at ${LOW_RATE} req/s: p50=${low.p50} ms p99=${low.p99} ms non2xx=${low.non2xx}`);
      }
      const recorder = new RequestRecorder(mode);
      const cpu = new CpuMeter(sql, { api: pid, searchServer: es.pid as number });
      await cpu.begin();
      const r = await steady(DURATION_S, RATE, recorder);
      cpuPerRequest[mode] = await cpu.perRequest(recorder.records.length);
      log(`${mode}: CPU ms per request ${JSON.stringify(cpuPerRequest[mode])}`);
      for (const [cls, s] of Object.entries(recorder.summary())) log(`${mode} ${cls}: ${JSON.stringify(s)}`);
      if (REQUEST_LOG) recorder.write(REQUEST_LOG);
      const b = await burst(DURATION_S, RATE);
      burstResults[mode] = { p50: b.latency.p50, p99: b.latency.p99 };
      log(`${mode} in autocannon bursts (${CONNECTIONS} connections, ${RATE}/s budget): p50=${b.latency.p50} ms p99=${b.latency.p99} ms non2xx=${b.non2xx}`);
      clearInterval(sampler);
      if (process.env['BENCH_API_HEAP_SNAPSHOT']) api.kill('SIGUSR2'); // with --heapsnapshot-signal=SIGUSR2
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const gauge = (name: string) => Math.round(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(metrics)?.[1] ?? 0) / 2 ** 20);
      log(`${mode}: heap total ${gauge('nodejs_heap_size_total_bytes')} MB, used ${gauge('nodejs_heap_size_used_bytes')} MB, external ${gauge('nodejs_external_memory_bytes')} MB, rss now ${gauge('process_resident_memory_bytes')} MB`);
      maxRss = Math.max(maxRss, processMemoryMb(pid));
      results[mode] = { p50: r.p50, p99: r.p99, rps: r.rps, non2xx: r.non2xx, backend: probe.backend };
      log(`${mode}: backend=${probe.backend} p50=${r.p50} ms p99=${r.p99} ms ${r.rps} req/s sent, non2xx=${r.non2xx} errors=${r.errors} rss_max=${maxRss.toFixed(1)} MB`);
      await stop(api);
      api = undefined;
    }
    const es_ = results['elasticsearch'];
    const pg_ = results['postgres'];
    process.stdout.write(
      `${JSON.stringify({
        messages: MESSAGES,
        rate_per_s: RATE,
        duration_s: DURATION_S,
        es_p50_ms: es_?.p50,
        es_p99_ms: es_?.p99,
        es_non2xx: es_?.non2xx,
        pg_p50_ms: pg_?.p50,
        pg_p99_ms: pg_?.p99,
        pg_non2xx: pg_?.non2xx,
        es_burst_p50_ms: burstResults['elasticsearch']?.p50,
        es_burst_p99_ms: burstResults['elasticsearch']?.p99,
        pg_burst_p50_ms: burstResults['postgres']?.p50,
        pg_burst_p99_ms: burstResults['postgres']?.p99,
        ...(LOW_RATE > 0 ? { low_rate_per_s: LOW_RATE, es_low_p99_ms: lowResults['elasticsearch']?.p99, pg_low_p99_ms: lowResults['postgres']?.p99 } : {}),
        max_rss_mb: Math.round(maxRss * 10) / 10,
        es_cpu_ms_per_req: cpuPerRequest['elasticsearch'],
        pg_cpu_ms_per_req: cpuPerRequest['postgres'],
      })}\n`,
    );
  } finally {
    if (api) await stop(api);
    await stop(es);
    await sql.end();
    await pg.stop();
  }
}

main().catch((err: unknown) => {
  log(String((err as Error).stack ?? err));
  process.exit(1);
});

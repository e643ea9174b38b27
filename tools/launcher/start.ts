/**
 * `npm start`: the whole pipeline on one machine. PostgreSQL (the harness, unless DATABASE_URL is set), the embedded
 * Kafka broker (unless KAFKA_BROKERS), the embedded Elasticsearch server (unless ELASTICSEARCH_URL), migrations and
 * demo data, then cdc-producer, indexer-worker and search-api, each as its own process. Ctrl-C stops everything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSql } from '@nova/postgres';
import { migrate, startPostgres, type PostgresServer } from '@nova/postgres-harness';
import { freePort } from '@nova/testing';
import { loadDemoData, DEMO_USERS } from './demo-data';
import { demoAuth } from './demo-auth';
import { LOG_DIR, ROOT, httpOk, portIsFree, scriptEntry, startAppProcess, startTsProcess, tcpOpen, waitUntil, type ManagedProcess } from './processes';

const exitAfterReady = process.argv.includes('--exit-after-ready');
const started: ManagedProcess[] = [];
let postgres: PostgresServer | undefined;
let stopping = false;

const step = (text: string) => process.stdout.write(`  … ${text}\n`);
const done = (text: string) => process.stdout.write(`  ✓ ${text}\n`);

async function preferredPort(port: number): Promise<number> {
  return (await portIsFree(port)) ? port : freePort();
}

async function startPostgresAndData(): Promise<string> {
  const given = process.env['DATABASE_URL'];
  step(given ? 'PostgreSQL: using DATABASE_URL' : 'PostgreSQL: starting a local server (harness)');
  postgres = await startPostgres({ url: given });
  let url = postgres.url;
  if (postgres.owned) {
    const admin = createSql(url, { max: 1 });
    await admin.unsafe('create database nova');
    await admin.end();
    url = url.replace(/\/postgres$/, '/nova');
  }
  const m = await migrate(url);
  const sql = createSql(url, { max: 2 });
  const demo = await loadDemoData(sql);
  await sql.end();
  done(`PostgreSQL ready (${m.applied.length} migrations applied${demo ? `, demo data: ${demo.users} users, ${demo.conversations} conversations, ${demo.messages} messages, ${demo.posts} posts` : ''})`);
  return url;
}

async function startStandIn(kind: 'kafka' | 'es', scripts: Record<string, string>): Promise<string> {
  const script = kind === 'kafka' ? 'embedded:kafka' : 'embedded:es';
  const entry = scriptEntry(scripts, script);
  if (!entry) throw new Error(`root package.json has no runnable "${script}" script`);
  const port = await preferredPort(kind === 'kafka' ? 9092 : 9200);
  const name = kind === 'kafka' ? 'embedded-kafka' : 'embedded-elasticsearch';
  step(`${name}: starting on 127.0.0.1:${port}`);
  const proc = startTsProcess(name, entry, ['--port', String(port)], {});
  started.push(proc);
  if (kind === 'kafka') {
    await waitUntil(name, tcpOpen('127.0.0.1', port), 60_000, proc);
    done(`Kafka broker ready at 127.0.0.1:${port}`);
    return `127.0.0.1:${port}`;
  }
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(name, httpOk(url), 60_000, proc);
  done(`Elasticsearch API ready at ${url}`);
  return url;
}

async function startApp(name: string, defaultPort: number, env: Record<string, string>): Promise<string> {
  const port = await preferredPort(defaultPort);
  step(`${name}: starting on port ${port}`);
  const proc = startAppProcess(name, name, `apps/${name}/src/main.ts`, { ...env, PORT: String(port), HOST: '127.0.0.1' });
  started.push(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(name, httpOk(`${base}/health/ready`), 90_000, proc);
  done(`${name} ready at ${base}`);
  return base;
}

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\nStopping…\n');
    // Apps first (they flush and commit), then the stand-ins, then PostgreSQL.
    for (const p of [...started].reverse()) {
      await p.stop();
      done(`${p.name} stopped`);
    }
    await postgres?.stop();
    if (postgres?.owned) done('PostgreSQL stopped');
  }
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  process.stdout.write('Starting the Nova search pipeline (logs in tmp/logs/)\n');

  const databaseUrl = await startPostgresAndData();
  const kafkaBrokers = process.env['KAFKA_BROKERS'] ?? (await startStandIn('kafka', scripts));
  const elasticsearchUrl = process.env['ELASTICSEARCH_URL'] ?? (await startStandIn('es', scripts));
  const auth = demoAuth();
  const common = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers, ELASTICSEARCH_URL: elasticsearchUrl, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' };

  const producer = await startApp('cdc-producer', 8087, common);
  const indexer = await startApp('indexer-worker', 8088, common);
  const api = await startApp('search-api', 8086, { ...common, ...auth.env });

  const token = auth.token(DEMO_USERS[0].id);
  process.stdout.write(`
Nova search pipeline is running.
  search API      ${api}   (OpenAPI: ${api}/api/v1/openapi.json)
  cdc-producer    ${producer}/metrics
  indexer-worker  ${indexer}/metrics
  PostgreSQL      ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}
  Kafka           ${kafkaBrokers}
  Elasticsearch   ${elasticsearchUrl}
  logs            ${LOG_DIR}

Try (public posts, then ${DEMO_USERS[0].username}'s messages):
  curl -s '${api}/api/v1/search/posts?q=release'
  curl -s -H 'Authorization: Bearer ${token}' '${api}/api/v1/search/messages?q=%E5%8C%97%E4%BA%AC'

Stop everything with Ctrl-C.
`);
  if (exitAfterReady) await stopAll(0);
  for (const p of started) {
    void p.exited.then(() => {
      if (!stopping) {
        process.stderr.write(`${p.name} exited unexpectedly; see ${p.logFile}\n`);
        void stopAll(1);
      }
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForHttpOk } from '@nova/testing';
import { REPO_ROOT } from '../src/compose';
import { dashboardMetricNames } from '../src/dashboard-queries';

/**
 * Each image's runtime stage, reproduced without Docker: `RUN npm ci --omit=dev` of the generated package.json and
 * lockfile in an empty directory, `COPY` of the bundle, `CMD node main.js`. Then the process is started with its
 * dependencies unreachable (every app serves /health/live and /metrics while it retries) and its /metrics scraped:
 * every metric the Grafana dashboard and the alert rules query must be exported by one of the running apps.
 */
const APPS = ['cdc-producer', 'indexer-worker', 'search-api'] as const;
type App = (typeof APPS)[number];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** `npm test` builds every app before the tests; rebuild here only when a bundle is missing or older than the sources. */
function ensureFreshBuilds(): void {
  const sources = Math.max(...['apps', 'libs'].map((d) => newestMtime(path.join(REPO_ROOT, d))));
  const stale = APPS.filter((a) => {
    const main = path.join(REPO_ROOT, 'dist/apps', a, 'main.js');
    return !existsSync(main) || statSync(main).mtimeMs < sources;
  });
  if (stale.length === 0) return;
  const res = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', ...stale, '--outputStyle=static'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (res.status !== 0) throw new Error(`nx build failed:\n${res.stdout}\n${res.stderr}`);
}

const workDirs: string[] = [];
const running: ChildProcess[] = [];
const exported = new Map<App, Set<string>>();

beforeAll(() => ensureFreshBuilds(), 600_000);

afterAll(async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

async function unreachable(): Promise<string> {
  return `127.0.0.1:${await freePort()}`; // a port nobody listens on: connections are refused
}

describe.each(APPS)('%s runtime stage', (app) => {
  const dist = path.join(REPO_ROOT, 'dist/apps', app);
  let dir: string;

  it('installs the production dependencies of the generated lockfile, and they cover every package the bundle requires', () => {
    dir = mkdtempSync(path.join(tmpdir(), `runtime-${app}-`));
    workDirs.push(dir);
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(dist, f), path.join(dir, f));
    const res = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, encoding: 'utf8' });
    expect(res.stderr.split('\n').filter((l) => /npm (error|ERR!)/.test(l))).toEqual([]);
    expect(res.status).toBe(0);
    for (const f of readdirSync(dist).filter((f) => f.startsWith('main.js'))) cpSync(path.join(dist, f), path.join(dir, f));
    const bundle = readFileSync(path.join(dir, 'main.js'), 'utf8');
    const required = new Set([...bundle.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]).filter((m) => !builtins.has(m)));
    expect(required.size).toBeGreaterThan(0);
    const unresolved = [...required].filter((m) => {
      try {
        require.resolve(m, { paths: [dir] });
        return false;
      } catch {
        return true;
      }
    });
    expect(unresolved).toEqual([]);
  }, 180_000);

  it('starts with `node main.js` as the image does, serves /health/live, and exports its metrics', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      DATABASE_URL: `postgres://nova@${await unreachable()}/nova`,
      ELASTICSEARCH_URL: `http://${await unreachable()}`,
    };
    if (app !== 'search-api') env['KAFKA_BROKERS'] = await unreachable();
    const child = spawn(process.execPath, ['--enable-source-maps', 'main.js'], { cwd: dir, env, stdio: 'ignore' });
    running.push(child);
    await waitForHttpOk(`http://127.0.0.1:${port}/health/live`, 30_000);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const names = new Set<string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
      names.add(m[1]);
      if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1] + s);
      if (m[2] === 'summary') for (const s of ['_sum', '_count']) names.add(m[1] + s);
    }
    exported.set(app, names);
    const prefix = { 'cdc-producer': 'nova_producer_', 'indexer-worker': 'nova_indexer_', 'search-api': 'nova_search_' }[app];
    expect([...names].some((n) => n.startsWith(prefix))).toBe(true);
    expect(names.has('process_resident_memory_bytes')).toBe(true);
    expect(text).toMatch(new RegExp(`^process_resident_memory_bytes\\{service="${app}"\\} \\d+`, 'm'));
    child.kill('SIGKILL');
  }, 60_000);
});

describe('the dashboard and the alert rules against the running apps', () => {
  it('query only metrics that the scraped /metrics of the three apps contain', () => {
    expect([...exported.keys()].sort()).toEqual([...APPS].sort());
    const all = new Set([...exported.values()].flatMap((s) => [...s]));
    all.add('up'); // added by Prometheus to every target
    expect(dashboardMetricNames().filter((n) => !all.has(n))).toEqual([]);
  });
});

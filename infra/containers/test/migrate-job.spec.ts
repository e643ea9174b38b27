import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { createSql, type Sql } from '@nova/postgres';
import { MIGRATIONS_DIR, testServerUrl } from '@nova/postgres-harness';
import { REPO_ROOT } from '../src/compose';

// The compose `migrate` job as its image runs it: the same esbuild bundle (one file, no node_modules) next to a copy
// of the migrations, started with `node migrate.js` against an empty database, twice.
describe('migrate job (infra/docker/migrate)', () => {
  let dir: string;
  let admin: Sql;
  let db: Sql;
  let url: string;
  const name = `migrate_job_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'migrate-job-'));
    await build({
      entryPoints: [path.join(REPO_ROOT, 'infra/docker/migrate/migrate.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
      outfile: path.join(dir, 'migrate.js'),
      logLevel: 'silent',
    });
    cpSync(MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true });
    admin = createSql(testServerUrl(), { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(testServerUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    db = createSql(url, { max: 1 });
  });

  afterAll(async () => {
    await db?.end();
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const runJob = () => spawnSync(process.execPath, ['migrate.js'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: url } });

  it('needs nothing but its bundle: every require is a Node built-in', () => {
    const res = spawnSync(process.execPath, ['-e', "const s=require('fs').readFileSync('migrate.js','utf8');const m=[...s.matchAll(/require\\(\"([^\"]+)\"\\)/g)].map(x=>x[1]).filter(x=>!require('module').isBuiltin(x));console.log(JSON.stringify(m))"], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(res.stdout)).toEqual([]);
  });

  it('applies every migration to an empty database, in order, and records them', async () => {
    const res = runJob();
    expect(res.status).toBe(0);
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
    const rows = await db<{ name: string }[]>`select name from schema_migrations order by name`;
    expect(rows.map((r) => r.name)).toEqual(files);
    const [{ n }] = await db<{ n: number }[]>`select count(*)::int as n from information_schema.tables where table_name in ('messages', 'posts')`;
    expect(n).toBe(2);
    const line = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}');
    expect(line).toMatchObject({ message: 'Migrations up to date', applied: files });
    expect(res.stdout).not.toContain(new URL(url).password || '\u0000'); // no secret in the log
  });

  it('skips what is applied on the next start, and exits non-zero when the database is unreachable', () => {
    const again = runJob();
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').pop() ?? '{}')).toMatchObject({ applied: [] });
    const bad = spawnSync(process.execPath, ['migrate.js'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Migration failed');
  });
});

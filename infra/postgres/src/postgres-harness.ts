import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, runMigrations } from '@nova/postgres';
import { freePort } from '@nova/testing';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../migrations');
const DEFAULT_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** True when this harness started the server (false when it was given one). */
  owned: boolean;
  /** The postmaster's process id when this harness started the server. */
  pid?: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Use this server instead of starting one (as DATABASE_URL does). */
  url?: string;
  port?: number;
  /** Directory with initdb/postgres; defaults to the newest installed Debian PostgreSQL. */
  binDir?: string;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  /** Where to log the server's output (default: a file in its data dir). */
  onLog?: (line: string) => void;
}

export function findPostgresBinDir(): string {
  const dir = DEFAULT_BIN_DIRS.find((d) => existsSync(path.join(d, 'postgres')));
  if (!dir) throw new Error(`PostgreSQL server binaries not found in ${DEFAULT_BIN_DIRS.join(', ')}; install postgresql (apt-get install postgresql)`);
  return dir;
}

/**
 * Starts a throw-away PostgreSQL (logical WAL, many slots) on 127.0.0.1 and a free port, in a temporary data
 * dir, as user `postgres` when the caller is root. The server is stopped and its directory removed by `stop()`,
 * at process exit, and by a watchdog if the calling process dies without either.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  if (options.url) {
    await waitReady(options.url, 30_000);
    return { url: options.url, port: Number(new URL(options.url).port || 5432), owned: false, stop: async () => undefined };
  }
  const bin = options.binDir ?? findPostgresBinDir();
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nova-pg-'));
  const dataDir = path.join(dir, 'data');
  const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);

  execFileSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
    stdio: 'pipe',
    ...(asUser ?? {}),
  });
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    wal_level: 'logical',
    max_replication_slots: 64,
    max_wal_senders: 64,
    max_connections: 400,
    shared_buffers: '128MB',
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'on',
    wal_sender_timeout: '60s',
    log_min_messages: 'warning',
    ...options.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(path.join(bin, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(asUser ?? {}) });
  const logFile = path.join(dir, 'server.log');
  const log = options.onLog ?? ((line: string) => writeFileSync(logFile, line + '\n', { flag: 'a' }));
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  const watchdog = startWatchdog(child, dir);

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    await stopChild(child);
    watchdog.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => {
    child.kill('SIGKILL');
    watchdog.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  try {
    await waitReady(url, 30_000, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, owned: true, pid: child.pid, stop };
}

/** Applies the project's migrations to a database. */
export async function migrate(url: string) {
  const sql = createSql(url, { max: 1, applicationName: 'nova-migrate' });
  try {
    return await runMigrations(sql, MIGRATIONS_DIR);
  } finally {
    await sql.end();
  }
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function waitReady(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode} during start-up`);
    const sql = createSql(url, { max: 1, connectTimeout: 2 });
    try {
      await sql`select 1`;
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await sql.end({ timeout: 1 });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A detached shell that stops the server and removes its directory once our process is gone. */
function startWatchdog(child: ChildProcess, dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -INT ${child.pid} 2>/dev/null; sleep 3; kill -KILL ${child.pid} 2>/dev/null; rm -rf '${dir}'`;
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  w.unref();
  return w;
}

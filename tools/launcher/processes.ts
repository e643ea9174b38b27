import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { deployedNode } from '@nova/testing';

export const ROOT = path.resolve(__dirname, '../..');
export const LOG_DIR = path.join(ROOT, 'tmp/logs');

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

/** Runs a TypeScript entry point as its own process, its output appended to tmp/logs/<name>.log. */
export function startTsProcess(name: string, entry: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): ManagedProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  // `node --import tsx`, not the tsx CLI: one process per component, so signals reach it directly. Built bundles
  // (`.js`) run on plain node, as deployed.
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    logFile,
    exited,
    async stop(timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts one of the apps (`apps/<app>`) with its image's Node settings: the Dockerfile's CMD flags and NODE_OPTIONS. */
export function startAppProcess(name: string, app: string, entry: string, env: Record<string, string>, extraNodeFlags: string[] = []): ManagedProcess {
  const node = deployedNode(app);
  return startTsProcess(name, entry, [], node.nodeOptions === undefined ? env : { ...env, NODE_OPTIONS: node.nodeOptions }, [...extraNodeFlags, ...node.flags]);
}

/** Resolves the entry file of a root npm script of the form `tsx <file> ...`. */
export function scriptEntry(scripts: Record<string, string>, name: string): string | undefined {
  const m = /^tsx\s+(\S+\.ts)/.exec(scripts[name] ?? '');
  return m?.[1];
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, proc?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${proc.name} exited during start-up; see ${proc.logFile}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s${proc ? `; see ${proc.logFile}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const httpOk = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

export const tcpOpen = (host: string, port: number) => () =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port }, () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export async function portIsFree(port: number): Promise<boolean> {
  return !(await tcpOpen('127.0.0.1', port)());
}

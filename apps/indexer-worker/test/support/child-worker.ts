import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT, freePort, waitFor } from '@nova/testing';
import { sumSamples } from './worker-harness';

export interface WorkerProcess {
  process: ChildProcess;
  output(): string;
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface ChildWorker {
  service: WorkerProcess;
  port: number;
  /** Records indexed by this process so far (from its /metrics), or -1 if it does not answer. */
  indexed(): Promise<number>;
  joins(): Array<Record<string, unknown>>;
}

/**
 * Runs `apps/indexer-worker/src/main.ts` as ONE Node process (`node --import tsx`), as deployed.
 * Not `spawnTsService`: that runs the tsx CLI, which runs the app in a second, child process, so a SIGKILL reaches
 * only the wrapper and leaves the worker running (an orphan), and a SIGTERM is turned into a SIGKILL when the app
 * does not acknowledge it to the wrapper within 30 ms (a busy event loop on a loaded machine). A crash test needs
 * signals to reach the worker itself.
 */
export function spawnWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(WORKSPACE_ROOT, 'apps/indexer-worker/src/main.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    process: child,
    output: () => out,
    logLines: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
}

/** Starts the worker process on a free port. */
export async function spawnWorker(env: Record<string, string>): Promise<ChildWorker> {
  const port = await freePort();
  const service = spawnWorkerProcess({ ...env, PORT: String(port), LOG_LEVEL: env['LOG_LEVEL'] ?? 'info' });
  return {
    service,
    port,
    indexed: async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        return sumSamples(await res.text(), 'nova_indexer_records_indexed_total');
      } catch {
        return -1;
      }
    },
    joins: () => service.logLines().filter((l) => l['message'] === 'Joined consumer group'),
  };
}

/** Waits until the worker answers /health/ready with 200 (fails at once if it exits). */
export async function waitReady(worker: ChildWorker, timeoutMs = 60_000): Promise<void> {
  let exited: number | string | undefined;
  void worker.service.exited.then((code) => (exited = code));
  await waitFor(
    async () => {
      if (exited !== undefined) throw new Error(`worker exited with ${exited}: ${worker.service.output().slice(-2000)}`);
      return (await fetch(`http://127.0.0.1:${worker.port}/health/ready`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs, intervalMs: 200, what: 'the worker to be ready' },
  );
}

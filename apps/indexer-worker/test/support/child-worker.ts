import { freePort, spawnTsService, waitFor, type ChildService } from '@nova/testing';
import { sumSamples } from './worker-harness';

export type WorkerProcess = ChildService;

export interface ChildWorker {
  service: WorkerProcess;
  port: number;
  /** Records indexed by this process so far (from its /metrics), or -1 if it does not answer. */
  indexed(): Promise<number>;
  joins(): Array<Record<string, unknown>>;
}

/** The worker's source entry; the production bundle is `dist/apps/indexer-worker/main.js` (`nx build indexer-worker`). */
export const WORKER_SOURCE = 'apps/indexer-worker/src/main.ts';

/** Which build of the worker to run and with which Node flags (default: the source, under tsx). */
export interface WorkerLaunch {
  entry?: string;
  nodeFlags?: string[];
}

/** Runs the worker as its own Node process (signals reach the worker itself). */
export function spawnWorkerProcess(env: Record<string, string>, launch: WorkerLaunch = {}): WorkerProcess {
  return spawnTsService(launch.entry ?? WORKER_SOURCE, env, { nodeFlags: launch.nodeFlags });
}

/** Starts the worker process on a free port. */
export async function spawnWorker(env: Record<string, string>, launch: WorkerLaunch = {}): Promise<ChildWorker> {
  const port = await freePort();
  const service = spawnWorkerProcess({ ...env, PORT: String(port), LOG_LEVEL: env['LOG_LEVEL'] ?? 'info' }, launch);
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

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

export interface ChildService {
  process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Lines of stdout parsed as JSON (log lines); others skipped. */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once it exits. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs an entry point as its own Node process: a TypeScript source (e.g. `apps/search-api/src/main.ts`) with tsx's
 * loader (`node --import tsx`: one process, so a SIGKILL reaches the app itself; the tsx CLI would run it in a
 * grandchild that outlives its killed parent), or a built `.js` bundle (`dist/apps/<app>/main.js`) as deployed.
 * The child is SIGKILLed if the test process exits first.
 */
export function spawnTsService(entry: string, env: Record<string, string>, options: { inheritEnv?: boolean; nodeFlags?: string[] } = {}): ChildService {
  const file = path.resolve(WORKSPACE_ROOT, entry);
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, file], {
    cwd: WORKSPACE_ROOT,
    env: { ...(options.inheritEnv === false ? { PATH: process.env['PATH'] ?? '' } : process.env), ...env },
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

/** Waits until `GET url` answers 200. */
export async function waitForHttpOk(url: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await fetch(url)).status === 200, { timeoutMs, intervalMs: 100, what: `200 from ${url}` });
}

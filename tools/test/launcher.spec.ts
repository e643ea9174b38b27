import { execFileSync } from 'node:child_process';
import { spawnTsService, waitFor } from '@nova/testing';

/** Process ids of a process's descendants (from /proc via ps). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=']).toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start (tools/launcher/start.ts)', () => {
  it('brings the whole pipeline up, answers the printed search request, and leaves no process behind on Ctrl-C', async () => {
    const launcher = spawnTsService('tools/launcher/start.ts', { LOG_LEVEL: 'warn' });
    try {
      await waitFor(() => launcher.output().includes('Nova search pipeline is running.'), { timeoutMs: 150_000, intervalMs: 250, what: 'the ready block' });
      const out = launcher.output();
      const curls = [...out.matchAll(/curl -s (?:-H '([^']+)' )?'([^']+)'/g)];
      expect(curls).toHaveLength(2);
      // The demo data reaches the index through the real chain: the printed requests find it.
      for (const [, header, url] of curls) {
        const headers = header ? { [header.split(': ')[0]]: header.split(': ')[1] } : undefined;
        const body = await waitFor(
          async () => {
            const res = await fetch(url, { headers });
            const json = (await res.json()) as { hits: unknown[]; backend: string };
            return res.status === 200 && json.hits.length > 0 ? json : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 500, what: `hits from ${url}` },
        );
        expect(body.backend).toBe('elasticsearch');
      }
      const children = descendants(launcher.process.pid!);
      expect(children.length).toBeGreaterThanOrEqual(6); // PostgreSQL, broker, search server, three apps
      launcher.kill('SIGINT');
      expect(await launcher.exited).toBe(0);
      await waitFor(() => children.every((pid) => !alive(pid)), { timeoutMs: 20_000, what: 'every child process to exit' });
    } finally {
      launcher.kill('SIGKILL');
    }
  }, 240_000);
});

import { readFileSync } from 'node:fs';
import { processCpuSeconds, processMemoryMb } from '@nova/testing';

/** Samples the resident memory of named processes every 250 ms and keeps each one's peak; reads their CPU time. */
export class RssSampler {
  private readonly pids = new Map<string, () => number[]>();
  private readonly proportional = new Set<string>();
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  add(name: string, pid: number): void {
    this.pids.set(name, () => [pid]);
  }

  /**
   * PostgreSQL is many processes (the postmaster and its backends); its figure is their summed proportional set size.
   * The children are read from /proc (never by spawning `pgrep`: a synchronous spawn every sample blocked this
   * process's event loop for tens of milliseconds and so inflated the latencies it measures).
   */
  addPostgres(postmasterPid: number): void {
    this.proportional.add('postgres');
    this.pids.set('postgres', () => {
      try {
        const children = readFileSync(`/proc/${postmasterPid}/task/${postmasterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
        return [postmasterPid, ...children];
      } catch {
        return [];
      }
    });
  }

  start(): void {
    const sample = () => {
      for (const [name, pids] of this.pids) {
        const total = pids().reduce((sum, pid) => sum + processMemoryMb(pid, this.proportional.has(name) ? 'pss' : 'rss'), 0);
        this.peak.set(name, Math.max(this.peak.get(name) ?? 0, total));
      }
    };
    sample();
    this.timer = setInterval(sample, 250);
  }

  /**
   * CPU seconds (user + system) each named process has used so far. PostgreSQL's figure also counts its exited backends
   * (the postmaster's reaped children), so the difference of two readings is everything PostgreSQL did in between.
   */
  cpuSeconds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pids] of this.pids) {
      out[name] = pids().reduce((sum, pid, i) => sum + cpuOf(pid, this.proportional.has(name) && i === 0), 0);
    }
    return out;
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    return Object.fromEntries([...this.peak].map(([k, v]) => [k, Math.round(v)]));
  }
}

function cpuOf(pid: number, withReapedChildren: boolean): number {
  try {
    return processCpuSeconds(pid, withReapedChildren);
  } catch {
    return 0; // the process has exited
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

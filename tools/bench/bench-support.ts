import { readFileSync } from 'node:fs';
import { processCpuSeconds, processMemoryMb } from '@nova/testing';

/**
 * The peak resident memory of named processes, and their CPU time.
 * A single process's peak is the kernel's own high-water mark (`VmHWM`): exact, and cheap to read. PostgreSQL is many
 * processes (the postmaster and its backends), so its figure is their summed proportional set size (`smaps_rollup`),
 * sampled every 2 s: the kernel walks a process's page tables to answer that, ~1-4 ms per process here, and sampling
 * twenty backends every 250 ms (as this did) cost ~12 % of a core, charged to the machine being measured.
 */
export class RssSampler {
  private readonly pids = new Map<string, number>();
  private postmasterPid: number | undefined;
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  add(name: string, pid: number): void {
    this.pids.set(name, pid);
  }

  addPostgres(postmasterPid: number): void {
    this.postmasterPid = postmasterPid;
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 2000);
  }

  private sample(): void {
    for (const [name, pid] of this.pids) this.keepPeak(name, processMemoryMb(pid, 'peak'));
    if (this.postmasterPid !== undefined) {
      this.keepPeak('postgres', postgresPids(this.postmasterPid).reduce((sum, pid) => sum + processMemoryMb(pid, 'pss'), 0));
    }
  }

  private keepPeak(name: string, mb: number): void {
    this.peak.set(name, Math.max(this.peak.get(name) ?? 0, mb));
  }

  /**
   * CPU seconds (user + system) each named process has used so far. PostgreSQL's figure also counts its exited backends
   * (the postmaster's reaped children), so the difference of two readings is everything PostgreSQL did in between.
   */
  cpuSeconds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of this.pids) out[name] = cpuOf(pid, false);
    if (this.postmasterPid !== undefined) {
      out['postgres'] = postgresPids(this.postmasterPid).reduce((sum, pid, i) => sum + cpuOf(pid, i === 0), 0);
    }
    return out;
  }

  /** Each process's peak in MB (its high-water mark is read once more now: the processes must still be running). */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries([...this.peak].map(([k, v]) => [k, Math.round(v)]));
  }
}

/** The postmaster and its children, from /proc (never by spawning `pgrep`: a synchronous spawn blocks the event loop). */
function postgresPids(postmasterPid: number): number[] {
  try {
    const children = readFileSync(`/proc/${postmasterPid}/task/${postmasterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [postmasterPid, ...children];
  } catch {
    return [];
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

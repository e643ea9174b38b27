import { readFileSync } from 'node:fs';

const FIELDS = {
  /** Resident set now (`VmRSS`). */
  rss: ['status', /VmRSS:\s+(\d+) kB/],
  /** Peak resident set over the process's life (`VmHWM`, the high-water mark), so no sampling can miss a spike. */
  peak: ['status', /VmHWM:\s+(\d+) kB/],
  /** Proportional set size: shared pages shared out, so that a multi-process server (PostgreSQL) can be summed. */
  pss: ['smaps_rollup', /Pss:\s+(\d+) kB/],
} as const;

/** Memory of a process in MB, from /proc (0 once it is gone). */
export function processMemoryMb(pid: number | undefined, kind: keyof typeof FIELDS = 'rss'): number {
  const [file, pattern] = FIELDS[kind];
  try {
    const m = pattern.exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

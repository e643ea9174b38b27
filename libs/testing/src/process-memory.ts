import { readFileSync } from 'node:fs';

/**
 * Memory of a process in MB, from /proc (0 once it is gone): resident set (`VmRSS`), or with `pss` the proportional
 * set size, which shares shared pages out so that a multi-process server (PostgreSQL) can be summed.
 */
export function processMemoryMb(pid: number | undefined, pss = false): number {
  try {
    const text = readFileSync(pss ? `/proc/${pid}/smaps_rollup` : `/proc/${pid}/status`, 'utf8');
    const m = (pss ? /Pss:\s+(\d+) kB/ : /VmRSS:\s+(\d+) kB/).exec(text);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

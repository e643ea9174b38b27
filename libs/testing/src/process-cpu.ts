import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) a live process has used so far, from /proc/<pid>/stat (clock ticks, USER_HZ = 100).
 * With `withReapedChildren`, also what its exited children used once it reaped them (cutime + cstime): for a server
 * whose workers come and go, such as PostgreSQL's postmaster and its backends.
 */
export function processCpuSeconds(pid: number | undefined, withReapedChildren = false): number {
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis start at `state`.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const field = (i: number) => Number(fields[i] ?? 0);
  return (field(11) + field(12) + (withReapedChildren ? field(13) + field(14) : 0)) / 100;
}

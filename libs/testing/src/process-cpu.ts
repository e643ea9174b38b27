import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a live process has used so far, from /proc/<pid>/stat (clock ticks, USER_HZ = 100). */
export function processCpuSeconds(pid: number | undefined): number {
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis start at `state`.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

import type { IndexStore } from '../src/index/index-store';
import { executeSearch, parseSearchRequest } from '../src/search/search-executor';

/** CPU milliseconds of a `process.cpuUsage()` delta. */
export const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

/** In-process CPU per search of each request body: p50, p99 and mean in ms (pruned, or `exhaustive` scoring). */
export function measureQueryCpu(store: IndexStore, bodies: Array<Record<string, unknown>>, exhaustive: boolean) {
  const ms: number[] = [];
  for (const body of bodies) {
    const c0 = process.cpuUsage();
    executeSearch([store], parseSearchRequest(body, new URLSearchParams()), { exhaustive });
    ms.push(cpuMs(process.cpuUsage(c0)));
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number) => Number((ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] as number).toFixed(2));
  return { p50_cpu_ms: pct(50), p99_cpu_ms: pct(99), mean_cpu_ms: Number((ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2)) };
}

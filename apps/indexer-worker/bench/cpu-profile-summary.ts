/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `BENCH_WORKER_CPU_PROF=<dir> npm run bench:indexer`):
 * self time per function (top N) and per source area (our code, kafkajs, the Elasticsearch client / undici, winston,
 * prom-client, zod, garbage collection, idle), as shares of the profile's samples.
 * `npx tsx apps/indexer-worker/bench/cpu-profile-summary.ts <file.cpuprofile> [top=25]`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const AREAS: Array<[string, RegExp]> = [
  ['kafkajs', /node_modules\/kafkajs\//],
  ['elasticsearch client / undici', /node_modules\/(@elastic|undici)|node:internal\/deps\/undici/],
  ['winston / logform', /node_modules\/(winston|logform|triple-beam|readable-stream|safe-stable-stringify)/],
  ['prom-client', /node_modules\/(prom-client|tdigest|bintrees)/],
  ['zod', /node_modules\/zod\//],
  ['node internals', /^node:/],
];

function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program (V8, native)';
  for (const [name, pattern] of AREAS) if (pattern.test(url)) return name;
  if (url === '') return 'native / builtins';
  return 'app and libs (ours)';
}

function main() {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topText ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(apps|libs)\//, '$1/')}:${lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + us);
    const area = areaOf(node);
    perArea.set(area, (perArea.get(area) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;
  const busy = totalUs - (perArea.get('idle') ?? 0);
  console.log(`profile: ${(totalUs / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (${pct(busy).trim()})`);
  console.log('\nby area:');
  for (const [area, us] of [...perArea].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${area}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [name, us] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${name}`);
}

main();

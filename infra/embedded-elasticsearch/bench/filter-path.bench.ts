/**
 * CPU to build and serialise a bulk response of N items, unfiltered and with
 * `filter_path=items.*.status,items.*.error` (what the indexer worker sends). A few seconds; run under the bench lock:
 *   flock /tmp/nova-bench.lock npx tsx infra/embedded-elasticsearch/bench/filter-path.bench.ts [items=500] [rounds=2000]
 */
import { ResponseFilter } from '../src/http/response-filter';

const ITEMS = Number(process.argv[2] ?? 500);
const ROUNDS = Number(process.argv[3] ?? 2000);
const FILTER = 'items.*.status,items.*.error';

const shards = { total: 1, successful: 1, failed: 0 };

/** A bulk response shaped as the bulk handler builds it (write results in Elasticsearch's field order). */
function bulkResponse(round: number): Record<string, unknown> {
  const items = [];
  for (let i = 0; i < ITEMS; i++) {
    const action = 'index';
    const result = {
      _index: 'messages_v1', _id: `0b6c7a1e-3f1d-4c55-9a7e-${String(round * ITEMS + i).padStart(12, '0')}`, _version: 1234567 + i,
      result: 'created', _shards: shards, _seq_no: round * ITEMS + i, _primary_term: 1, status: 201,
    };
    items.push({ [action]: result });
  }
  return { errors: false, took: 12, items };
}

function unfiltered(body: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(body));
}

function filtered(body: Record<string, unknown>): number {
  const filter = ResponseFilter.parse(FILTER);
  return Buffer.byteLength(JSON.stringify(filter ? filter.apply(body) : body));
}

function run(fn: (body: Record<string, unknown>) => number, bodies: Array<Record<string, unknown>>) {
  let bytes = 0;
  const c0 = process.cpuUsage();
  for (const body of bodies) bytes = fn(body);
  const c = process.cpuUsage(c0);
  const usPerResponse = (c.user + c.system) / bodies.length;
  return { cpu_us_per_response: Number(usPerResponse.toFixed(1)), cpu_ns_per_item: Math.round((usPerResponse * 1000) / ITEMS), bytes };
}

const bodies = Array.from({ length: 50 }, (_, r) => bulkResponse(r));
const pick = (n: number) => Array.from({ length: n }, (_, i) => bodies[i % bodies.length]);
// Warm both paths up, then alternate measured passes so that machine load hits both alike.
run(unfiltered, pick(500));
run(filtered, pick(500));
const results: Record<string, number[]> = { unfiltered: [], filtered: [] };
let bytes: Record<string, number> = {};
for (let pass = 0; pass < 5; pass++) {
  const u = run(unfiltered, pick(ROUNDS / 5));
  const f = run(filtered, pick(ROUNDS / 5));
  results.unfiltered.push(u.cpu_us_per_response);
  results.filtered.push(f.cpu_us_per_response);
  bytes = { unfiltered: u.bytes, filtered: f.bytes };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(JSON.stringify({
  items: ITEMS, rounds: ROUNDS, filter: FILTER,
  unfiltered_cpu_us_per_response: median(results.unfiltered), filtered_cpu_us_per_response: median(results.filtered),
  passes: results, bytes,
}) + '\n');

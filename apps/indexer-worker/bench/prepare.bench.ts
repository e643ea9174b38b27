/**
 * In-process CPU per record of what the worker does to each record before the bulk request, on bench-shaped events
 * (our envelope, message_persisted, ~300 bytes of content): `npx tsx apps/indexer-worker/bench/prepare.bench.ts [mode]`,
 * mode `norm` (normalize only), `both` (+ toBulkOperation, the default) or `body` (+ one request body per 500).
 * Prints CPU microseconds per record (process.cpuUsage over 10 rounds of 20,000 records after 5 warm-up rounds).
 */
import { formatLsn, messagePersistedEvent, toKafkaMessage, normalize } from '@nova/events';
import { toBulkOperation, type BulkOperation } from '../src/sink/bulk-operation';
import { bulkBody } from '../src/sink/elasticsearch-sink';
const TEXT = 'The quick brown fox jumps over the lazy dog while the search indexer keeps up with every change. '.repeat(3).slice(0, 300);
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const N = 20000;
const recs = Array.from({ length: N }, (_, i) => {
  const id = `${hex(i, 8)}-0000-4000-8000-${hex(i * 7919, 12).slice(-12)}`;
  const now = new Date(1764170000000 + i);
  const lsn = 0x10_0000_0000n + BigInt(i) * 64n;
  const m = toKafkaMessage(messagePersistedEvent(
    { id, conversation_id: '1b9e6f3a-8c2d-4e7f-b5a1-0c3d9e8f7a02', sender_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c03', content: `${i} ${TEXT}`, created_at: now, edited_at: null },
    { lsn: formatLsn(lsn - 8n), commit_lsn: formatLsn(lsn), tx_id: i, table: 'messages', snapshot: false, commit_ts: now.toISOString() }));
  return { topic: 'mp', key: Buffer.from(String(m.key)), value: Buffer.from(m.value as string), headers: {} };
});
const opts = { topics: { messagePersisted: 'mp', messageDeleted: 'md', postPersisted: 'pp', postDeleted: 'pd' } };
const aliases = { message: 'nova_messages', post: 'nova_posts' };
const mode = process.argv[2] ?? 'both';
function run() {
  const now = new Date();
  let x = 0;
  let chunk: BulkOperation[] = [];
  for (const r of recs) {
    const res = normalize(r, opts);
    if (res.kind !== 'change') throw new Error(JSON.stringify(res));
    if (mode === 'norm') continue;
    const op = toBulkOperation(res.change, aliases, now);
    x += op.bytes;
    if (mode === 'body') {
      chunk.push(op);
      if (chunk.length === 500) {
        x += bulkBody(chunk).length;
        chunk = [];
      }
    }
  }
  return x;
}
for (let i = 0; i < 5; i++) run();
const c0 = process.cpuUsage();
const R = 10;
for (let i = 0; i < R; i++) run();
const c = process.cpuUsage(c0);
console.log(mode, 'us per record', ((c.user + c.system) / (R * N)).toFixed(2));

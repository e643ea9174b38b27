/**
 * Produces benchmark events (our envelope, message_persisted, ~300 bytes of content) in its own process.
 * Env: BROKERS, TOPIC, COUNT, RATE (events/s; 0 = as fast as possible). Prints one JSON line when done.
 */
import { Kafka, logLevel } from 'kafkajs';
import { formatLsn, messagePersistedEvent, toKafkaMessage } from '@nova/events';

const brokers = String(process.env['BROKERS']).split(',');
const topic = String(process.env['TOPIC']);
const count = Number(process.env['COUNT']);
const rate = Number(process.env['RATE'] ?? 0);
const TEXT = 'The quick brown fox jumps over the lazy dog while the search indexer keeps up with every change. '.repeat(3).slice(0, 300);

function hex(n: number, width: number) {
  return n.toString(16).padStart(width, '0');
}

function event(i: number) {
  const id = `${hex(i, 8)}-0000-4000-8000-${hex(i * 7919, 12).slice(-12)}`;
  const now = new Date();
  const lsn = 0x10_0000_0000n + BigInt(i) * 64n;
  return toKafkaMessage(
    messagePersistedEvent(
      { id, conversation_id: '1b9e6f3a-8c2d-4e7f-b5a1-0c3d9e8f7a02', sender_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c03', content: `${i} ${TEXT}`, created_at: now, edited_at: null },
      { lsn: formatLsn(lsn - 8n), commit_lsn: formatLsn(lsn), tx_id: i, table: 'messages', snapshot: false, commit_ts: now.toISOString() },
    ),
  );
}

async function main() {
  const producer = new Kafka({ clientId: 'bench-load', brokers, logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  const slice = rate > 0 ? Math.max(1, Math.round(rate / 100)) : 2_000; // at a fixed rate: a send every 10 ms
  for (let sent = 0; sent < count; ) {
    const n = Math.min(slice, count - sent);
    const messages = Array.from({ length: n }, (_, k) => event(sent + k));
    await producer.send({ topic, acks: -1, messages });
    sent += n;
    if (rate > 0) {
      const due = started + (sent / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await producer.disconnect();
  console.log(JSON.stringify({ produced: count, seconds: (Date.now() - started) / 1000 }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

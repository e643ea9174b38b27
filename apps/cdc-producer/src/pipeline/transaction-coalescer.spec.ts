import type { OutboundEvent } from '../events/change-mapper';
import { TransactionCoalescer } from './transaction-coalescer';

const ev = (topic: string, key: string, value: string): OutboundEvent => ({ topic, key, value, valueBytes: Buffer.byteLength(value), bytes: 10 });

/** What a coalescer publishes, with each value copied out (its bytes are reused afterwards). */
function collector() {
  const out: Array<{ topic: string; key: string; value: string }> = [];
  const publish = (e: OutboundEvent) => {
    expect(e.valueBytes).toBe(Buffer.byteLength(e.value));
    out.push({ topic: e.topic, key: e.key, value: e.value.toString() });
  };
  return { out, publish };
}

describe('TransactionCoalescer', () => {
  it("keeps each row's last event, in the order of the rows' last changes, with its bytes intact", () => {
    const c = new TransactionCoalescer(100);
    const { out, publish } = collector();
    c.add('messages', ev('message_persisted', 'a', 'insert a'), publish);
    c.add('messages', ev('message_persisted', 'b', 'insert b 北京'), publish);
    c.add('messages', ev('message_deleted', 'a', 'delete a'), publish);
    c.add('posts', ev('post_persisted', 'a', 'post a'), publish); // same id, other table: another row
    expect(out).toEqual([]);
    c.drain(publish);
    expect(out.map((e) => `${e.topic}:${e.key}:${e.value}`)).toEqual(['message_persisted:b:insert b 北京', 'message_deleted:a:delete a', 'post_persisted:a:post a']);
    out.length = 0;
    c.drain(publish);
    expect(out).toEqual([]);
  });

  it('publishes early at its bound and says so', () => {
    const overflows: number[] = [];
    const c = new TransactionCoalescer(3, (n) => overflows.push(n));
    const { out, publish } = collector();
    c.add('messages', ev('t', '1', 'one'), publish);
    c.add('messages', ev('t', '1', 'one again'), publish); // the same row: still two rows buffered
    c.add('messages', ev('t', '2', 'two'), publish);
    expect(out).toEqual([]);
    c.add('messages', ev('t', '3', 'three'), publish);
    expect(out.map((e) => e.value)).toEqual(['one again', 'two', 'three']);
    expect(overflows).toEqual([3]);
    c.add('messages', ev('t', '4', 'four'), publish);
    c.drain(publish);
    expect(out.map((e) => e.value)).toEqual(['one again', 'two', 'three', 'four']);
  });

  it('grows its buffer for a large transaction and reuses it for the next ones without mixing their bytes', () => {
    const c = new TransactionCoalescer(100_000);
    for (const [rows, size] of [[3_000, 1_000], [10, 20], [2, 3_000_000], [5, 7]] as const) {
      const { out, publish } = collector();
      const values = Array.from({ length: rows }, (_, i) => `${i}:${'x字'.repeat(size / 2)}`);
      values.forEach((v, i) => c.add('posts', ev('p', String(i), v), publish));
      c.drain(publish);
      expect(out.map((e) => e.value)).toEqual(values);
    }
  });
});

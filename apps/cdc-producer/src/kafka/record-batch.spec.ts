import { CompressionTypes } from 'kafkajs';
import type { OutboundEvent } from '../events/change-mapper';
import { RecordBatch } from './record-batch';

const event = (topic: string, key: string, value: string): OutboundEvent => {
  const valueBytes = Buffer.byteLength(value);
  return { topic, key, value, valueBytes, bytes: key.length + valueBytes + 100 };
};

describe('RecordBatch', () => {
  it('packs each value as UTF-8 in send order, with its key and topic, in a buffer of the exact size', () => {
    const batch = new RecordBatch(Buffer.alloc(1024, 0xff), 0);
    const events = [event('a', 'k1', '{"x":"検索"}'), event('b', 'k2', '{}'), event('a', 'k3', '{"y":1}')];
    events.forEach((e, i) => batch.add(e, 10 + i));
    const packed = batch.pack(-1, CompressionTypes.None);
    const values = Buffer.from(packed.values);
    expect(values.length).toBe(events.reduce((n, e) => n + e.valueBytes, 0));
    const records = packed.keys.map((key, i) => ({ topic: packed.topics[packed.topicOf[i]!], key, value: values.toString('utf8', i === 0 ? 0 : packed.ends[i - 1], packed.ends[i]) }));
    expect(records).toEqual(events.map(({ topic, key, value }) => ({ topic, key, value })));
    expect(batch.lastSeq).toBe(12);
    expect(batch.bytes).toBe(events.reduce((n, e) => n + e.bytes, 0));
    expect(batch.published()).toEqual([{ topic: 'a', count: 2 }, { topic: 'b', count: 1 }]);
  });

  it('takes an event only within its count, byte and buffer bounds; a first event always', () => {
    const batch = new RecordBatch(Buffer.alloc(300), 0);
    const small = event('t', 'k', 'x'.repeat(100)); // 201 bytes counted
    expect(batch.fits(event('t', 'k', 'x'.repeat(5_000)), 2, 250)).toBe(true); // empty batch
    batch.add(small, 1);
    expect(batch.fits(small, 2, 1_000)).toBe(true);
    expect(batch.fits(small, 1, 1_000)).toBe(false); // count
    expect(batch.fits(small, 2, 400)).toBe(false); // bytes: 201 + 201 > 400
    expect(batch.fits(event('t', 'k', 'x'.repeat(250)), 2, 10_000)).toBe(false); // buffer: 100 + 250 > 300
    expect(() => batch.add(event('t', 'k', 'x'.repeat(250)), 2)).toThrow(RangeError);
  });
});

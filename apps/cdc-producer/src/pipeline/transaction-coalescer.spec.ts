import type { OutboundEvent } from '../events/change-mapper';
import { TransactionCoalescer } from './transaction-coalescer';

const ev = (topic: string, key: string, value = topic): OutboundEvent => ({ topic, key, value, valueBytes: value.length, bytes: 10 });

describe('TransactionCoalescer', () => {
  it("keeps each row's last event, in the order of the rows' last changes", () => {
    const c = new TransactionCoalescer(100);
    expect(c.add('messages', ev('message_persisted', 'a', 'insert a'))).toEqual([]);
    c.add('messages', ev('message_persisted', 'b', 'insert b'));
    c.add('messages', ev('message_deleted', 'a', 'delete a'));
    c.add('posts', ev('post_persisted', 'a', 'post a')); // same id, other table: another row
    expect(c.drain().map((e) => e.value.toString())).toEqual(['insert b', 'delete a', 'post a']);
    expect(c.drain()).toEqual([]);
  });

  it('publishes early at its bound and says so', () => {
    const overflows: number[] = [];
    const c = new TransactionCoalescer(3, (n) => overflows.push(n));
    c.add('messages', ev('t', '1'));
    c.add('messages', ev('t', '2'));
    expect(c.add('messages', ev('t', '3')).map((e) => e.key)).toEqual(['1', '2', '3']);
    expect(overflows).toEqual([3]);
    c.add('messages', ev('t', '4'));
    expect(c.drain().map((e) => e.key)).toEqual(['4']);
  });
});

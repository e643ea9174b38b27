import { DLQ_HEADERS, deadLetterTopic, toDeadLetterMessage } from './dead-letter-publisher';

describe('dead letters', () => {
  it('names the topic <topic>.dlq by default, or the fixed topic', () => {
    expect(deadLetterTopic('message_persisted', { topicSuffix: '.dlq' })).toBe('message_persisted.dlq');
    expect(deadLetterTopic('message_persisted', { topicSuffix: '.dlq', topic: 'nova.dlq' })).toBe('nova.dlq');
  });

  it('keeps the original bytes and headers and adds reason and origin', () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const msg = toDeadLetterMessage(
      {
        record: { topic: 't', partition: 2, offset: '41', key: Buffer.from('k'), value, headers: { event_type: Buffer.from('x') }, timestamp: '1700000000000' },
        code: 'EVENT_UNPARSEABLE',
        reason: 'not JSON',
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(msg.value).toBe(value);
    expect(msg.key).toEqual(Buffer.from('k'));
    expect(msg.headers).toEqual({
      event_type: Buffer.from('x'),
      [DLQ_HEADERS.reason]: 'not JSON',
      [DLQ_HEADERS.code]: 'EVENT_UNPARSEABLE',
      [DLQ_HEADERS.topic]: 't',
      [DLQ_HEADERS.partition]: '2',
      [DLQ_HEADERS.offset]: '41',
      [DLQ_HEADERS.failedAt]: '2026-01-01T00:00:00.000Z',
    });
  });
});

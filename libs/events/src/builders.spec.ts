import fc from 'fast-check';
import {
  deriveEventId,
  messageDeletedEvent,
  messagePersistedEvent,
  postDeletedEvent,
  postPersistedEvent,
  toIsoTimestamp,
  toKafkaMessage,
} from './builders';
import { novaEventSchema } from './envelope.schema';
import { messagePersistedEventSchema } from './message.schema';
import { EventValidationError } from './errors';
import { normalize } from './normalize';
import { IDS, OPTIONS, expectChange } from './test-support';

const SOURCE = { lsn: '16/B374D848', commit_lsn: '16/B374D9A0', tx_id: 771, table: 'messages', snapshot: false, commit_ts: '2026-11-26T03:00:00.123456Z' };
const MESSAGE = { id: IDS.message, conversation_id: IDS.conversation, sender_id: IDS.user, content: 'hello', created_at: '2026-11-26 02:59:59.5+00', edited_at: null };

describe('event builders', () => {
  it('builds message_persisted with the original flat fields first and metadata alongside', () => {
    const event = messagePersistedEvent(MESSAGE, SOURCE);
    expect(Object.keys(event).slice(0, 4)).toEqual(['message_id', 'conversation_id', 'sender_id', 'content']);
    expect(event).toMatchObject({
      message_id: IDS.message,
      content: 'hello',
      created_at: '2026-11-26T02:59:59.5+00:00',
      edited_at: null,
      event_type: 'message_persisted',
      schema_version: 1,
      source: SOURCE,
    });
    expect(novaEventSchema.parse(event)).toEqual(event);
  });

  it('builds through the compiled parser exactly what the regular zod parser builds', () => {
    // Upper-case ids take the transform (lower case) on the compiled path too; wire order and values are the schema's.
    const upper = { ...MESSAGE, id: IDS.message.toUpperCase(), sender_id: IDS.user.toUpperCase() };
    const event = messagePersistedEvent(upper, SOURCE, '6F1D2C3B-4A59-4E8D-9C7B-6A5F4E3D2C1B');
    expect([event.message_id, event.sender_id, event.event_id]).toEqual([IDS.message, IDS.user, '6f1d2c3b-4a59-4e8d-9c7b-6a5f4e3d2c1b']);
    expect(JSON.stringify(event)).toBe(JSON.stringify(messagePersistedEventSchema.parse(event)));
  });

  it('derives a stable event id from the change (same change, same id), or uses the one given', () => {
    const a = messagePersistedEvent(MESSAGE, SOURCE);
    expect(messagePersistedEvent(MESSAGE, SOURCE).event_id).toBe(a.event_id);
    expect(messagePersistedEvent(MESSAGE, { ...SOURCE, lsn: '16/B374D900' }).event_id).not.toBe(a.event_id);
    expect(a.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.event_id).toBe(deriveEventId('message_persisted', IDS.message, SOURCE));
    // Pinned: a restarted or upgraded producer must derive the same id for the same change (consumers dedupe on it).
    const pinned = { ...SOURCE, table: 'messages', lsn: '0/16B3748', commit_lsn: '0/16B3790' };
    expect(deriveEventId('message_persisted', '0A1B2C3D-1111-2222-3333-444455556666', pinned)).toBe('517b4d10-bbb0-81f5-a2a8-9d3f7ab7395e');
    const given = '6f1d2c3b-4a59-4e8d-9c7b-6a5f4e3d2c1b';
    expect(messagePersistedEvent(MESSAGE, SOURCE, given).event_id).toBe(given);
  });

  it('round-trips every builder through the Kafka message and normalize', () => {
    const postSource = { ...SOURCE, table: 'posts' };
    const post = { id: IDS.post, author_id: IDS.user, title: 'T', content: 'C', visibility: 'public', created_at: new Date('2026-11-25T10:00:00Z') };
    const events = [
      messagePersistedEvent(MESSAGE, SOURCE),
      messageDeletedEvent({ ...MESSAGE, deleted_at: '2026-11-26T03:05:00Z' }, SOURCE),
      postPersistedEvent(post, postSource),
      postDeletedEvent({ ...post, deleted_at: null }, postSource),
    ];
    const expected = [
      ['message', 'upsert'],
      ['message', 'delete'],
      ['post', 'upsert'],
      ['post', 'delete'],
    ];
    events.forEach((event, i) => {
      const msg = toKafkaMessage(event);
      expect(Object.keys(msg)).toEqual(['key', 'value']); // no headers: the topic names the type, the value has the rest
      // Records written before headers were dropped carry them; those that agree with the value are accepted.
      const legacyHeaders = { event_type: event.event_type, schema_version: '1', lsn: '16/B374D9A0', 'content-type': 'application/json' };
      for (const headers of [undefined, legacyHeaders]) {
        const change = expectChange(normalize({ topic: 'x', key: Buffer.from(msg.key), value: Buffer.from(msg.value), headers }, OPTIONS));
        expect([change.entity, change.operation]).toEqual(expected[i]);
        expect(change).toMatchObject({ version: 0x16b374d9a0n, committedAt: SOURCE.commit_ts, origin: { format: 'nova', eventId: event.event_id } });
      }
    });
    expect(events[2]).toMatchObject({ created_at: '2026-11-25T10:00:00.000Z', updated_at: null });
  });

  it('throws EventValidationError naming the field instead of building a bad event', () => {
    expect(() => messagePersistedEvent({ ...MESSAGE, sender_id: 'nobody' }, SOURCE)).toThrow(EventValidationError);
    expect(() => messagePersistedEvent(MESSAGE, { ...SOURCE, commit_lsn: 'x' })).toThrow(/source\.commit_lsn/);
    expect(() => postPersistedEvent({ id: IDS.post, author_id: IDS.user, title: '', content: '', visibility: 'secret' }, SOURCE)).toThrow(
      expect.objectContaining({ code: 'EVENT_INVALID', field: 'visibility' }),
    );
    expect(() => messagePersistedEvent({ ...MESSAGE, created_at: new Date('nope') }, SOURCE)).toThrow(expect.objectContaining({ field: 'created_at' }));
  });

  it.each([
    ['2026-11-26 02:59:59.123456+00', '2026-11-26T02:59:59.123456+00:00'],
    ['2026-11-26 02:59:59+05:30', '2026-11-26T02:59:59+05:30'],
    ['2026-11-26T02:59:59Z', '2026-11-26T02:59:59Z'],
    [null, null],
    [undefined, null],
  ])('normalises timestamp %j to %j', (input, output) => {
    expect(toIsoTimestamp(input)).toBe(output);
  });

  it('converts every timestamp of a long stream with repeats right (its cache of recent values never answers wrongly)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const timestamp = fc
      .record({
        day: fc.integer({ min: 1, max: 28 }),
        second: fc.integer({ min: 0, max: 86_399 }),
        micros: fc.option(fc.integer({ min: 0, max: 999_999 })),
        offset: fc.constantFrom('+00', '-03', '+05:30', '+14'),
      })
      .map(({ day, second, micros, offset }) => {
        const time = `${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}${micros === null ? '' : `.${String(micros).padStart(6, '0')}`}`;
        const date = `2026-11-${two(day)}`;
        return { pg: `${date} ${time}${offset}`, iso: `${date}T${time}${offset.length === 3 ? `${offset}:00` : offset}` };
      });
    // Few distinct values repeated many times, and more distinct values than the cache holds.
    const stream = fc.array(fc.integer({ min: 0, max: 199 }), { minLength: 300, maxLength: 600 });
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 200, maxLength: 200 }), stream, (values, picks) => {
        for (const i of picks) expect(toIsoTimestamp(values[i]!.pg)).toBe(values[i]!.iso);
      }),
      { numRuns: 50 },
    );
  });
});

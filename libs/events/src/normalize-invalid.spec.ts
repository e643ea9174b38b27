import fc from 'fast-check';
import type { NormalizeInput } from './change';
import { EventValidationError } from './errors';
import { normalize } from './normalize';
import { DEBEZIUM_MESSAGES_TOPIC, DEBEZIUM_POSTS_TOPIC, IDS, OPTIONS, fixture, record } from './test-support';

type Code = EventValidationError['code'];
const OTHER_ID = '00000000-0000-0000-0000-0000000000ff';

const nova = (over: Record<string, unknown>) => ({ ...fixture('nova-message-persisted.json'), ...over });
const novaSource = (over: Record<string, unknown>) => nova({ source: { ...(fixture('nova-message-persisted.json').source as object), ...over } });
// Fixture surgery on nested JSON; the shapes are checked by normalize itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const dbz = (file: string, edit: (v: Json) => void) => {
  const value = fixture(file) as Json;
  edit(value);
  return value;
};
const legacy = (over: Record<string, unknown>) => ({
  message_id: IDS.message,
  conversation_id: IDS.conversation,
  sender_id: IDS.user,
  content: 'hi',
  ...over,
});

/** [case, record, code, field, reason] */
const CASES: Array<[string, NormalizeInput, Code, string, RegExp]> = [
  // Not an event at all
  ['not JSON', record('message_persisted', '{"message_id": '), 'EVENT_UNPARSEABLE', 'value', /^not JSON: /],
  ['a JSON array', record('message_persisted', '[1,2]'), 'EVENT_UNPARSEABLE', 'value', /expected a JSON object, got an array/],
  ['a JSON string', record('message_persisted', '"hello"'), 'EVENT_UNPARSEABLE', 'value', /expected a JSON object, got "hello"/],
  ['JSON null text (not a tombstone)', record('message_persisted', 'null'), 'EVENT_UNPARSEABLE', 'value', /got null/],
  ['empty bytes', record('message_persisted', Buffer.alloc(0)), 'EVENT_UNPARSEABLE', 'value', /empty value/],
  ['invalid UTF-8', record('message_persisted', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'EVENT_UNPARSEABLE', 'value', /not valid UTF-8/],
  ['unrecognised shape on an unknown topic', record('random', { hello: 'world' }), 'EVENT_UNSUPPORTED', 'value', /unrecognised event on topic "random"/],
  ['wrapped payload that is not an object', record('t', { schema: {}, payload: 'x' }), 'EVENT_INVALID', 'payload', /expected an object, got "x"/],

  // Our envelope
  ['schema_version 2', record('message_persisted', nova({ schema_version: 2 })), 'EVENT_UNSUPPORTED', 'schema_version', /schema_version 2 is not supported/],
  ['schema_version as text', record('message_persisted', nova({ schema_version: '1' })), 'EVENT_INVALID', 'schema_version', /expected 1, got "1"/],
  ['unknown event_type', record('message_persisted', nova({ event_type: 'message_reacted' })), 'EVENT_UNSUPPORTED', 'event_type', /unknown event_type "message_reacted"/],
  ['commit_lsn not X/Y', record('message_persisted', novaSource({ commit_lsn: '12' })), 'EVENT_INVALID', 'source.commit_lsn', /expected a PostgreSQL LSN 'X\/Y'.*got "12"/],
  ['source missing', record('message_persisted', nova({ source: undefined })), 'EVENT_INVALID', 'source', /^missing \(expected an object\)/],
  ['commit_ts not ISO', record('message_persisted', novaSource({ commit_ts: 'yesterday' })), 'EVENT_INVALID', 'source.commit_ts', /ISO 8601.*got "yesterday"/],
  ['tx_id negative', record('message_persisted', novaSource({ tx_id: -1 })), 'EVENT_INVALID', 'source.tx_id', /got number -1/],
  ['message_id not a UUID', record('message_persisted', nova({ message_id: 'abc' })), 'EVENT_INVALID', 'message_id', /expected a UUID.*got "abc"/],
  ['content a number', record('message_persisted', nova({ content: 42 })), 'EVENT_INVALID', 'content', /expected a string, got number 42/],
  ['event_id missing', record('message_persisted', nova({ event_id: undefined })), 'EVENT_INVALID', 'event_id', /^missing/],
  [
    'post visibility unknown',
    record('post_persisted', { ...fixture('nova-post-persisted.json'), visibility: 'secret' }),
    'EVENT_INVALID',
    'visibility',
    /expected one of 'public', 'followers', 'private', got "secret"/,
  ],
  [
    'header event_type disagrees',
    record('message_persisted', nova({}), null, { event_type: 'post_deleted' }),
    'EVENT_INVALID',
    'headers.event_type',
    /header says "post_deleted" but the value says "message_persisted"/,
  ],
  ['key names another message', record('message_persisted', nova({}), OTHER_ID), 'EVENT_INVALID', 'key', /record key ".*ff" does not match the message id/],

  // The flat payload
  ['flat message_id not a UUID', record('message_persisted', legacy({ message_id: '42' })), 'EVENT_INVALID', 'message_id', /expected a UUID/],
  ['flat sender_id missing', record('message_persisted', legacy({ sender_id: undefined })), 'EVENT_INVALID', 'sender_id', /^missing/],
  ['flat content an object', record('message_persisted', legacy({ content: { text: 'hi' } })), 'EVENT_INVALID', 'content', /expected a string, got an object/],
  ['flat delete without message_id', record('message_deleted', { conversation_id: IDS.conversation }), 'EVENT_INVALID', 'message_id', /^missing/],
  [
    'flat post without visibility',
    record('post_persisted', { post_id: IDS.post, author_id: IDS.user, content: 'x' }),
    'EVENT_INVALID',
    'visibility',
    /^missing/,
  ],

  // Debezium change events
  ['truncate (op t)', record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-truncate.json')), 'EVENT_UNSUPPORTED', 'op', /truncate events \(op 't'\) are not supported/],
  ['logical message (op m)', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.op = 'm'))), 'EVENT_UNSUPPORTED', 'op', /logical decoding messages/],
  ['unknown op', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.op = 'x'))), 'EVENT_INVALID', 'op', /expected one of 'c'.*got "x"/],
  ['op missing', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => delete v.op)), 'EVENT_INVALID', 'op', /^missing/],
  ['source.lsn missing', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => delete v.source.lsn)), 'EVENT_INVALID', 'source.lsn', /^missing/],
  [
    'source.lsn beyond exact JSON numbers',
    record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.source.lsn = 2 ** 60))),
    'EVENT_INVALID',
    'source.lsn',
    /no larger than 2\^53-1/,
  ],
  ['source.lsn garbage', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.source.lsn = 'abc'))), 'EVENT_INVALID', 'source.lsn', /got "abc"/],
  ['source.table missing', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => delete v.source.table)), 'EVENT_INVALID', 'source.table', /^missing/],
  ['source not an object', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.source = 'pg'))), 'EVENT_INVALID', 'source', /expected an object/],
  ['source.snapshot a number', record(DEBEZIUM_POSTS_TOPIC, dbz('debezium-post-read.json', (v) => (v.source.snapshot = 1))), 'EVENT_INVALID', 'source.snapshot', /got number 1/],
  ['source.ts_ms text', record(DEBEZIUM_POSTS_TOPIC, dbz('debezium-post-read.json', (v) => (v.source.ts_ms = 'now'))), 'EVENT_INVALID', 'source.ts_ms', /milliseconds since the epoch/],
  [
    'wrapped after.content a number',
    record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-create.schema.json', (v) => (v.payload.after.content = 7))),
    'EVENT_INVALID',
    'payload.after.content',
    /expected a string, got number 7/,
  ],
  [
    'timestamptz sent as epoch micros (not ZonedTimestamp)',
    record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.after.created_at = 1559033904863123))),
    'EVENT_INVALID',
    'after.created_at',
    /ISO 8601/,
  ],
  ['after.id not a UUID', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-update.json', (v) => (v.after.id = 17))), 'EVENT_INVALID', 'after.id', /expected a UUID|expected a string/],
  ['delete without before', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-delete.json', (v) => (v.before = null))), 'EVENT_INVALID', 'before', /REPLICA IDENTITY FULL/],
  ['create without after', record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-create.schema.json', (v) => (v.payload.after = null))), 'EVENT_INVALID', 'payload.after', /expected the new row for op 'c', got null/],
  [
    'soft delete with a bad deleted_at',
    record(DEBEZIUM_MESSAGES_TOPIC, dbz('debezium-message-soft-delete.json', (v) => (v.after.deleted_at = 'garbage'))),
    'EVENT_INVALID',
    'after.deleted_at',
    /ISO 8601.*got "garbage"/,
  ],
  [
    'TOAST placeholder with no before image',
    record(DEBEZIUM_POSTS_TOPIC, dbz('debezium-post-update-toast.json', (v) => (v.before = null))),
    'EVENT_INVALID',
    'after.content',
    /unchanged TOASTed value/,
  ],
  ['Debezium key names another row', record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-update.json'), `{"id":"${OTHER_ID}"}`), 'EVENT_INVALID', 'key', /does not match/],
  ['key that is broken JSON', record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-update.json'), '{"id":'), 'EVENT_INVALID', 'key', /expected the entity id/],

  // Debezium unwrapped
  ['__deleted neither true nor false', record('t', { ...fixture('debezium-unwrapped-message-update.json'), __deleted: 'yes' }), 'EVENT_INVALID', '__deleted', /got "yes"/],
  ['__lsn garbage', record('t', { ...fixture('debezium-unwrapped-message-update.json'), __lsn: 'abc' }), 'EVENT_INVALID', '__lsn', /got "abc"/],
  ['__op unknown', record('t', { ...fixture('debezium-unwrapped-message-update.json'), __op: 'z' }), 'EVENT_INVALID', '__op', /got "z"/],
  [
    'no __table and a topic that does not name the table',
    record('t', { ...fixture('debezium-unwrapped-message-update.json'), __table: undefined }),
    'EVENT_INVALID',
    '__table',
    /cannot tell the table/,
  ],
  [
    'unwrapped upsert missing content',
    record('t', { ...fixture('debezium-unwrapped-message-update.json'), content: undefined }),
    'EVENT_INVALID',
    'content',
    /^missing \(expected a string\)/,
  ],
];

describe('normalize: malformed input', () => {
  it('covers at least 20 malformed inputs', () => expect(CASES.length).toBeGreaterThanOrEqual(20));

  const table = CASES.map(([name, input, code, field, reason]) => [name, code, field, reason, input] as const);
  it.each(table)('%s -> %s at %s', (_name, code, field, reason, input) => {
    const result = normalize(input, OPTIONS);
    if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${result.kind}`);
    expect(result.error).toBeInstanceOf(EventValidationError);
    expect(result.error).toMatchObject({ code, field, retryable: false });
    expect(result.error.reason).toMatch(reason);
    expect(result.error.message).toBe(`${code} at ${field}: ${result.error.reason}`);
  });
});

describe('normalize: never throws', () => {
  const topics = fc.constantFrom('message_persisted', 'message_deleted', 'post_persisted', 'post_deleted', DEBEZIUM_MESSAGES_TOPIC, 'other');
  const kinds = new Set(['change', 'ignored', 'invalid']);

  it('returns a result for arbitrary JSON values and bytes', () => {
    const value = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.string(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(topics, value, fc.option(fc.string()), (topic, v, key) => {
        expect(kinds.has(normalize({ topic, key, value: v }, OPTIONS).kind)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('returns a result when fixtures are mutated field by field', () => {
    const files = ['nova-message-persisted.json', 'debezium-message-update.json', 'debezium-unwrapped-message-update.json', 'nova-post-persisted.json'];
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.string({ maxLength: 12 }), fc.jsonValue(), topics, (file, field, junk, topic) => {
        const value = fixture(file);
        const target = field in value || Math.random() < 0.5 ? value : ((value.source ?? value) as Record<string, unknown>);
        target[Object.keys(target)[field.length % Object.keys(target).length]] = junk;
        expect(kinds.has(normalize(record(topic, value), OPTIONS).kind)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reports an internal failure as an invalid record instead of throwing', () => {
    const result = normalize(record('message_persisted', { message_id: IDS.message }), undefined as never);
    expect(result).toMatchObject({ kind: 'invalid', error: { code: 'EVENT_INVALID', field: 'value' } });
  });
});

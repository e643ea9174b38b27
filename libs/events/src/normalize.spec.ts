import { normalize } from './normalize';
import { DEBEZIUM_MESSAGES_TOPIC, DEBEZIUM_POSTS_TOPIC, IDS, OPTIONS, expectChange, fixture, fixtureBytes, record } from './test-support';

const messageFields = (over: Record<string, unknown> = {}) => ({
  message_id: IDS.message,
  conversation_id: IDS.conversation,
  sender_id: IDS.user,
  ...over,
});

describe('normalize: our envelope', () => {
  it('turns message_persisted into a versioned upsert (version = commit LSN)', () => {
    const value = fixtureBytes('nova-message-persisted.json');
    const change = expectChange(
      normalize(record('message_persisted', value, IDS.message, { event_type: 'message_persisted', schema_version: '1', lsn: Buffer.from('16/B374D9A0') }), OPTIONS),
    );
    expect(change).toEqual({
      entity: 'message',
      id: IDS.message,
      operation: 'upsert',
      version: 0x16b374d9a0n,
      fields: messageFields({ content: 'Hello, 世界! Meeting at 10?', created_at: '2026-11-26T02:59:59.5Z', edited_at: null }),
      committedAt: '2026-11-26T03:00:00.123456Z',
      origin: { format: 'nova', topic: 'message_persisted', eventId: '0b7f3d6e-2a1c-8d4e-9f5a-6c7b8e9d0a1f', snapshot: false },
    });
  });

  it('turns message_deleted into a delete carrying the ids', () => {
    const change = expectChange(normalize(record('message_deleted', fixture('nova-message-deleted.json'), IDS.message), OPTIONS));
    expect(change).toMatchObject({ entity: 'message', id: IDS.message, operation: 'delete', version: 0x16b3750100n });
    expect(change.fields).toEqual(messageFields({ content: '', created_at: null, edited_at: null }));
  });

  it('turns post_persisted and post_deleted into post changes, whatever topic carries them', () => {
    const upsert = expectChange(normalize(record('anything', fixture('nova-post-persisted.json')), OPTIONS));
    expect(upsert).toMatchObject({
      entity: 'post',
      id: IDS.post,
      operation: 'upsert',
      version: 0x1a2b3d00n,
      fields: { post_id: IDS.post, author_id: IDS.user, title: 'Release notes', visibility: 'followers', updated_at: '2026-11-26T03:00:00.123456Z' },
      origin: { format: 'nova', snapshot: true },
    });
    const del = expectChange(normalize(record('post_deleted', fixture('nova-post-deleted.json'), IDS.post), OPTIONS));
    expect(del).toMatchObject({ entity: 'post', id: IDS.post, operation: 'delete', version: 0x1a2c0080n });
    expect(del.fields).toMatchObject({ post_id: IDS.post, author_id: IDS.user, visibility: 'private', content: '' });
  });

  it('keeps an empty message content from a versioned source (skipping it would leave stale text indexed)', () => {
    const value = { ...fixture('nova-message-persisted.json'), content: '' };
    expect(expectChange(normalize(record('message_persisted', value), OPTIONS)).fields).toMatchObject({ content: '' });
  });

  it('tolerates unknown extra keys (forward compatible) and upper-case ids (normalised to lower case)', () => {
    const value = { ...fixture('nova-message-persisted.json'), message_id: IDS.message.toUpperCase(), reactions: 3 };
    const change = expectChange(normalize(record('message_persisted', value, IDS.message.toUpperCase()), OPTIONS));
    expect(change.id).toBe(IDS.message);
  });
});

describe('normalize: the original flat payload', () => {
  const SAMPLE =
    '{"message_id":"550e8400-e29b-41d4-a716-446655440000","conversation_id":"550e8400-e29b-41d4-a716-446655440001","sender_id":"550e8400-e29b-41d4-a716-446655440002","content":"test"}';

  it('accepts the documented sample byte for byte, unversioned', () => {
    const bytes = fixtureBytes('legacy-message-persisted.json');
    expect(bytes.toString('utf8')).toBe(SAMPLE);
    for (const value of [bytes, SAMPLE]) {
      expect(expectChange(normalize({ topic: 'message_persisted', key: null, value }, OPTIONS))).toEqual({
        entity: 'message',
        id: '550e8400-e29b-41d4-a716-446655440000',
        operation: 'upsert',
        version: null,
        fields: {
          message_id: '550e8400-e29b-41d4-a716-446655440000',
          conversation_id: '550e8400-e29b-41d4-a716-446655440001',
          sender_id: '550e8400-e29b-41d4-a716-446655440002',
          content: 'test',
          created_at: null,
          edited_at: null,
        },
        committedAt: null,
        origin: { format: 'legacy', topic: 'message_persisted' },
      });
    }
  });

  it("reads another service's flat payload with extra keys of its own as the flat form", () => {
    const value = { ...JSON.parse(SAMPLE), source: 'mobile-app', event_type: 'chat.message.created', event_id: 'abc', sent_by: 'ios' };
    expect(expectChange(normalize(record('message_persisted', value), OPTIONS))).toMatchObject({ origin: { format: 'legacy' }, fields: { content: 'test' } });
  });

  it('does not check the key of the flat form (the original ignored keys)', () => {
    expect(normalize({ topic: 'message_persisted', key: 'conversation-42', value: SAMPLE }, OPTIONS).kind).toBe('change');
  });

  it.each([
    ['missing', { message_id: IDS.message, conversation_id: IDS.conversation, sender_id: IDS.user }],
    ['empty', { message_id: IDS.message, conversation_id: IDS.conversation, sender_id: IDS.user, content: '' }],
    ['blank', { message_id: IDS.message, conversation_id: IDS.conversation, sender_id: IDS.user, content: '  \n ' }],
    ['null', { message_id: IDS.message, conversation_id: IDS.conversation, sender_id: IDS.user, content: null }],
  ])('skips a message with %s content, as the original did', (_label, value) => {
    expect(normalize(record('message_persisted', value), OPTIONS)).toEqual({ kind: 'ignored', reason: 'empty_content' });
  });

  it('reads the same flat ids on the message-deleted topic as a delete', () => {
    const change = expectChange(normalize(record('message_deleted', fixtureBytes('legacy-message-deleted.json')), OPTIONS));
    expect(change).toMatchObject({ entity: 'message', id: IDS.message, operation: 'delete', version: null, origin: { format: 'legacy' } });
    expect(change.fields).toEqual(messageFields({ content: '', created_at: null, edited_at: null }));
    const idOnly = expectChange(normalize(record('message_deleted', { message_id: IDS.message }), OPTIONS));
    expect(idOnly.fields).toBeNull();
  });

  it('reads the flat post form on the post topics', () => {
    const upsert = expectChange(normalize(record('post_persisted', fixtureBytes('legacy-post-persisted.json')), OPTIONS));
    expect(upsert).toMatchObject({
      entity: 'post',
      id: IDS.post,
      operation: 'upsert',
      version: null,
      fields: { post_id: IDS.post, author_id: IDS.user, title: 'Release notes', visibility: 'public', created_at: '2026-11-25T10:00:00Z', updated_at: null },
    });
    const del = expectChange(normalize(record('post_deleted', fixtureBytes('legacy-post-deleted.json')), OPTIONS));
    expect(del).toMatchObject({ entity: 'post', id: IDS.post, operation: 'delete', version: null });
  });

  it('uses the configured topic names', () => {
    const options = { topics: { messagePersisted: 'chat.msg.v1', messageDeleted: 'chat.msgdel.v1', postPersisted: 'p', postDeleted: 'pd' } };
    expect(expectChange(normalize(record('chat.msg.v1', SAMPLE), options)).operation).toBe('upsert');
    expect(normalize(record('message_persisted', SAMPLE), options)).toMatchObject({ kind: 'invalid', error: { code: 'EVENT_UNSUPPORTED' } });
  });
});

describe('normalize: Debezium change events (examples adapted from the Debezium PostgreSQL connector documentation)', () => {
  // https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-create-events
  it('reads a create event wrapped by schemas.enable=true', () => {
    const key = JSON.stringify({ schema: { type: 'struct', fields: [{ type: 'string', optional: false, field: 'id' }] }, payload: { id: IDS.message } });
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, fixtureBytes('debezium-message-create.schema.json'), key), OPTIONS));
    expect(change).toEqual({
      entity: 'message',
      id: IDS.message,
      operation: 'upsert',
      version: 24023128n,
      fields: messageFields({ content: "Anne's first message", created_at: '2019-05-28T08:58:24.863123Z', edited_at: null }),
      committedAt: '2019-05-28T08:58:24.863Z',
      origin: { format: 'debezium', topic: DEBEZIUM_MESSAGES_TOPIC, snapshot: false },
    });
  });

  it('reads the same create event without the wrapping', () => {
    const unwrapped = fixture('debezium-message-create.schema.json').payload;
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, unwrapped, JSON.stringify({ id: IDS.message })), OPTIONS));
    expect(change).toMatchObject({ operation: 'upsert', version: 24023128n });
  });

  // #postgresql-update-events (with REPLICA IDENTITY FULL, so `before` is the whole old row)
  it('reads an update event as an upsert of the after image', () => {
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-update.json'), `{"id":"${IDS.message}"}`), OPTIONS));
    expect(change).toMatchObject({
      operation: 'upsert',
      version: 24023200n,
      fields: { content: "Anne Marie's first message, edited", edited_at: '2019-05-28T09:00:00.000001Z' },
      origin: { format: 'debezium', snapshot: false },
    });
  });

  // #postgresql-delete-events
  it('reads a delete event from its before image (REPLICA IDENTITY FULL)', () => {
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-delete.json'), `{"id":"${IDS.message}"}`), OPTIONS));
    expect(change).toMatchObject({ operation: 'delete', id: IDS.message, version: 46523128n });
    expect(change.fields).toEqual(
      messageFields({ content: "Anne Marie's first message, edited", created_at: '2019-05-28T08:58:24.863123Z', edited_at: '2019-05-28T09:00:00.000001Z' }),
    );
  });

  it('reads a key-only delete (REPLICA IDENTITY DEFAULT, as in the documentation) with null fields', () => {
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-delete-key-only.json')), OPTIONS));
    expect(change).toMatchObject({ operation: 'delete', id: IDS.message, version: 46523200n, fields: null });
  });

  it('turns a soft delete (deleted_at set in after) into a delete', () => {
    const change = expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, fixture('debezium-message-soft-delete.json')), OPTIONS));
    expect(change).toMatchObject({ operation: 'delete', version: 46523300n, fields: { content: "Anne Marie's first message, edited" } });
  });

  it.each([
    ['last', true],
    ['true', true],
    ['first_in_data_collection', true],
    ['incremental', true],
    ['false', false],
    [true, true],
    [false, false],
  ])('reads a snapshot read (op r) with source.snapshot %j as snapshot=%j', (snapshot, expected) => {
    const value = fixture('debezium-post-read.json');
    (value.source as Record<string, unknown>).snapshot = snapshot;
    const change = expectChange(normalize(record(DEBEZIUM_POSTS_TOPIC, value), OPTIONS));
    expect(change).toMatchObject({ entity: 'post', operation: 'upsert', version: 33554432n, origin: { snapshot: expected } });
    expect(change.fields).toMatchObject({ visibility: 'private', title: 'Release notes' });
  });

  it('takes an unchanged TOASTed column from the FULL before image instead of the placeholder', () => {
    const change = expectChange(normalize(record(DEBEZIUM_POSTS_TOPIC, fixture('debezium-post-update-toast.json')), OPTIONS));
    expect(change.fields).toMatchObject({ content: 'Search now understands CJK.', visibility: 'public' });
  });

  it('accepts source.lsn as a decimal string or X/Y text, and any schema name', () => {
    for (const lsn of ['24023128', '0/16E9058']) {
      const value = fixture('debezium-message-update.json');
      Object.assign(value.source as object, { lsn, schema: 'tenant_7' });
      expect(expectChange(normalize(record(DEBEZIUM_MESSAGES_TOPIC, value), OPTIONS)).version).toBe(24023128n);
    }
  });

  it('ignores other tables', () => {
    expect(normalize(record('nova.public.users', fixture('debezium-users-create.json')), OPTIONS)).toEqual({ kind: 'ignored', reason: 'unknown_table' });
  });

  // #postgresql-tombstone-events: Debezium follows each delete with a null value.
  it('ignores tombstones (null value), also when wrapped', () => {
    expect(normalize({ topic: DEBEZIUM_MESSAGES_TOPIC, key: `{"id":"${IDS.message}"}`, value: null }, OPTIONS)).toEqual({ kind: 'ignored', reason: 'tombstone' });
    expect(normalize(record(DEBEZIUM_MESSAGES_TOPIC, { schema: null, payload: null }), OPTIONS)).toEqual({ kind: 'ignored', reason: 'tombstone' });
  });
});

describe('normalize: Debezium ExtractNewRecordState (unwrapped) form', () => {
  // https://debezium.io/documentation/reference/stable/transformations/event-flattening.html
  it('reads a row with __op, __table, __lsn, __source_ts_ms as a versioned upsert', () => {
    const change = expectChange(normalize(record('any-topic', fixture('debezium-unwrapped-message-update.json'), IDS.message), OPTIONS));
    expect(change).toEqual({
      entity: 'message',
      id: IDS.message,
      operation: 'upsert',
      version: 24023200n,
      fields: messageFields({ content: "Anne Marie's first message, edited", created_at: '2019-05-28T08:58:24.863123Z', edited_at: '2019-05-28T09:00:00.000001Z' }),
      committedAt: '2019-05-28T08:59:24.863Z',
      origin: { format: 'debezium-unwrapped', topic: 'any-topic' },
    });
  });

  it('reads the __deleted: "true" rewrite as a delete', () => {
    const change = expectChange(normalize(record('any-topic', fixture('debezium-unwrapped-message-delete.json')), OPTIONS));
    expect(change).toMatchObject({ operation: 'delete', version: 46523128n, fields: { content: "Anne Marie's first message, edited" } });
    const keyOnly = expectChange(normalize(record('any-topic', { id: IDS.message, __deleted: 'true', __table: 'messages' }), OPTIONS));
    expect(keyOnly).toMatchObject({ operation: 'delete', id: IDS.message, version: null, fields: null });
  });

  it('reads a bare row (no added fields) on a <prefix>.<schema>.<table> topic as an unversioned upsert', () => {
    const change = expectChange(normalize(record(DEBEZIUM_POSTS_TOPIC, fixture('debezium-unwrapped-post-bare.json')), OPTIONS));
    expect(change).toMatchObject({ entity: 'post', id: IDS.post, operation: 'upsert', version: null, committedAt: null, origin: { format: 'debezium-unwrapped' } });
  });

  it('reads a schemas.enable-wrapped unwrapped row, and a soft-deleted one as a delete', () => {
    const row = { ...fixture('debezium-unwrapped-message-update.json'), deleted_at: '2019-05-28T09:10:00Z', __snapshot: 'false' };
    const change = expectChange(normalize(record('t', { schema: { type: 'struct' }, payload: row }), OPTIONS));
    expect(change).toMatchObject({ operation: 'delete', version: 24023200n, origin: { snapshot: false } });
  });

  it('ignores unwrapped rows of other tables', () => {
    expect(normalize(record('t', { id: IDS.user, username: 'anne', __table: 'users' }), OPTIONS)).toEqual({ kind: 'ignored', reason: 'unknown_table' });
  });
});

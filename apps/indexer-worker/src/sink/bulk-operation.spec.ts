import type { Change } from '@nova/events';
import { toBulkOperation, type BulkOperation } from './bulk-operation';
import { bulkBody } from './elasticsearch-sink';

const aliases = { message: 'nova_messages', post: 'nova_posts' };
const now = new Date('2026-01-01T00:00:00.000Z');

/** The operation's two NDJSON lines, parsed. */
function lines(op: BulkOperation): [Record<string, unknown>, Record<string, unknown>] {
  const text = op.body.toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  const parts = text.slice(0, -1).split('\n');
  expect(parts).toHaveLength(2);
  return [JSON.parse(parts[0]), JSON.parse(parts[1])];
}
const message = {
  message_id: '550e8400-e29b-41d4-a716-446655440000',
  conversation_id: '550e8400-e29b-41d4-a716-446655440001',
  sender_id: '550e8400-e29b-41d4-a716-446655440002',
  content: 'test',
  created_at: '2025-12-31T23:59:59.000Z',
  edited_at: null,
};

function change(overrides: Partial<Change>): Change {
  return {
    entity: 'message',
    id: message.message_id,
    operation: 'upsert',
    version: 0x16b3748n,
    fields: message,
    committedAt: '2025-12-31T23:59:59.500Z',
    origin: { format: 'nova', topic: 'message_persisted' },
    ...overrides,
  } as Change;
}

describe('toBulkOperation', () => {
  it('writes an upsert as a versioned external_gte index of the full document', () => {
    const op = toBulkOperation(change({}), aliases, now);
    expect(lines(op)[0]).toEqual({
      index: { _index: 'nova_messages', _id: message.message_id, version: 0x16b3748, version_type: 'external_gte' },
    });
    expect(lines(op)[1]).toEqual({
      id: message.message_id,
      conversation_id: message.conversation_id,
      sender_id: message.sender_id,
      content: 'test',
      created_at: message.created_at,
      edited_at: null,
      deleted: false,
      deleted_at: null,
      source_lsn: '0/16B3748',
      committed_at: '2025-12-31T23:59:59.500Z',
      indexed_at: now.toISOString(),
    });
    expect(op.bytes).toBe(op.body.length);
  });

  it('writes a delete as a versioned tombstone document without content', () => {
    const op = toBulkOperation(change({ operation: 'delete', version: 0x2000000n }), aliases, now);
    expect(lines(op)[0].index).toMatchObject({ version: 0x2000000, version_type: 'external_gte' });
    expect(op.tombstone).toBe(true);
    expect(lines(op)[1]).toMatchObject({ id: message.message_id, deleted: true, deleted_at: now.toISOString(), content: '', conversation_id: message.conversation_id });
  });

  it('writes a tombstone even when the delete carries no fields', () => {
    const op = toBulkOperation(change({ entity: 'post', id: 'p1', operation: 'delete', fields: null }), aliases, now);
    expect(op.index).toBe('nova_posts');
    expect(lines(op)[1]).toMatchObject({ id: 'p1', deleted: true, title: '', content: '', author_id: '' });
  });

  it('writes the legacy flat payload unversioned', () => {
    const op = toBulkOperation(change({ version: null, committedAt: null, origin: { format: 'legacy', topic: 'message_persisted' } }), aliases, now);
    expect(lines(op)[0]).toEqual({ index: { _index: 'nova_messages', _id: message.message_id } });
    expect(lines(op)[1]).toMatchObject({ source_lsn: null, deleted: false, content: 'test' });
  });

  it('maps a post with its own fields', () => {
    const op = toBulkOperation(
      change({
        entity: 'post',
        id: 'p2',
        fields: { post_id: 'p2', author_id: 'a', title: 'Hello', content: 'World', visibility: 'public', created_at: null, updated_at: null },
      }),
      aliases,
      now,
    );
    expect(lines(op)[1]).toMatchObject({ id: 'p2', author_id: 'a', title: 'Hello', content: 'World', visibility: 'public', deleted: false });
  });

  it('encodes non-ASCII text as UTF-8 and counts its bytes', () => {
    const op = toBulkOperation(change({ fields: { ...message, content: '数据库 café 🎉 "quoted"\nline' } }), aliases, now);
    expect(lines(op)[1]).toMatchObject({ content: '数据库 café 🎉 "quoted"\nline' });
    expect(op.bytes).toBe(Buffer.byteLength(op.body.toString('utf8')));
    expect(op.bytes).toBeGreaterThan(op.body.toString('utf8').length);
  });
  it('joins operations into one NDJSON body, in order', () => {
    const ops = ['a', 'b', 'c'].map((content, i) => toBulkOperation(change({ version: BigInt(i + 1), fields: { ...message, content } }), aliases, now));
    const body = bulkBody(ops);
    expect(body.length).toBe(ops.reduce((n, op) => n + op.bytes, 0));
    const parsed = body.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(parsed.map((l) => l.index?.version ?? l.content)).toEqual([1, 'a', 2, 'b', 3, 'c']);
  });
  it('refuses an LSN beyond an exact Elasticsearch version', () => {
    expect(() => toBulkOperation(change({ version: 2n ** 60n }), aliases, now)).toThrow();
  });
});

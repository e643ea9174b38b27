import type { Change } from '@nova/events';
import { toBulkOperation } from './bulk-operation';

const aliases = { message: 'nova_messages', post: 'nova_posts' };
const now = new Date('2026-01-01T00:00:00.000Z');
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
    expect(JSON.parse(op.lines[0])).toEqual({
      index: { _index: 'nova_messages', _id: message.message_id, version: 0x16b3748, version_type: 'external_gte' },
    });
    expect(JSON.parse(op.lines[1])).toEqual({
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
    expect(op.bytes).toBe(Buffer.byteLength(`${op.lines[0]}\n${op.lines[1]}\n`));
  });

  it('writes a delete as a versioned tombstone document without content', () => {
    const op = toBulkOperation(change({ operation: 'delete', version: 0x2000000n }), aliases, now);
    expect(JSON.parse(op.lines[0]).index).toMatchObject({ version: 0x2000000, version_type: 'external_gte' });
    expect(op.tombstone).toBe(true);
    expect(op.document).toMatchObject({ id: message.message_id, deleted: true, deleted_at: now.toISOString(), content: '', conversation_id: message.conversation_id });
  });

  it('writes a tombstone even when the delete carries no fields', () => {
    const op = toBulkOperation(change({ entity: 'post', id: 'p1', operation: 'delete', fields: null }), aliases, now);
    expect(op.index).toBe('nova_posts');
    expect(op.document).toMatchObject({ id: 'p1', deleted: true, title: '', content: '', author_id: '' });
  });

  it('writes the legacy flat payload unversioned', () => {
    const op = toBulkOperation(change({ version: null, committedAt: null, origin: { format: 'legacy', topic: 'message_persisted' } }), aliases, now);
    expect(JSON.parse(op.lines[0])).toEqual({ index: { _index: 'nova_messages', _id: message.message_id } });
    expect(op.document).toMatchObject({ source_lsn: null, deleted: false, content: 'test' });
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
    expect(op.document).toMatchObject({ id: 'p2', author_id: 'a', title: 'Hello', content: 'World', visibility: 'public', deleted: false });
  });

  it('refuses an LSN beyond an exact Elasticsearch version', () => {
    expect(() => toBulkOperation(change({ version: 2n ** 60n }), aliases, now)).toThrow();
  });
});

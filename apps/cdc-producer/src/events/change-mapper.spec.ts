import { novaEventSchema } from '@nova/events';
import { ChangeMapper, type ChangePosition } from './change-mapper';
import { microsToIso } from './pg-text';

const topics = { messagePersisted: 'mp', messageDeleted: 'md', postPersisted: 'pp', postDeleted: 'pd' };
const position: ChangePosition = { lsn: 0x16b374d848n, commitLsn: 0x16b374d900n, txId: 771, commitTs: '2026-01-31T12:00:00.123456Z', snapshot: false };
const message = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  conversation_id: '550e8400-e29b-41d4-a716-446655440001',
  sender_id: '550e8400-e29b-41d4-a716-446655440002',
  content: 'test',
  created_at: '2026-01-31 11:59:59.5+00',
  edited_at: null,
  deleted_at: null,
};

describe('ChangeMapper', () => {
  const mapper = new ChangeMapper(topics);

  it('turns a message insert into message_persisted with the original flat fields, keyed by id', () => {
    const out = mapper.map('messages', 'insert', message, position);
    expect(out.topic).toBe('mp');
    expect(out.key).toBe(message.id);
    expect(out).not.toHaveProperty('headers');
    const value = JSON.parse(out.value.toString());
    expect(novaEventSchema.parse(value)).toBeTruthy();
    expect(value).toMatchObject({
      message_id: message.id,
      conversation_id: message.conversation_id,
      sender_id: message.sender_id,
      content: 'test',
      event_type: 'message_persisted',
      source: { lsn: '16/B374D848', commit_lsn: '16/B374D900', tx_id: 771, table: 'messages', snapshot: false },
    });
  });

  it('turns a soft delete (deleted_at set) and a hard delete into message_deleted', () => {
    const soft = mapper.map('messages', 'update', { ...message, deleted_at: '2026-02-01 00:00:00+00' }, position);
    expect(soft.topic).toBe('md');
    expect(JSON.parse(soft.value.toString())).toMatchObject({ event_type: 'message_deleted', message_id: message.id });
    const hard = mapper.map('messages', 'delete', message, position);
    expect(JSON.parse(hard.value.toString())).toMatchObject({ event_type: 'message_deleted', deleted_at: position.commitTs });
  });

  it('maps posts to post_persisted / post_deleted', () => {
    const post = { id: message.id, author_id: message.sender_id, title: 't', content: 'c', visibility: 'public', created_at: null, updated_at: null, deleted_at: null };
    expect(mapper.map('posts', 'snapshot', post, { ...position, snapshot: true }).topic).toBe('pp');
    expect(mapper.map('posts', 'delete', post, position).topic).toBe('pd');
  });

  it('gives a redelivered change the same event id', () => {
    const a = JSON.parse(mapper.map('messages', 'insert', message, position).value.toString());
    const b = JSON.parse(mapper.map('messages', 'insert', message, position).value.toString());
    expect(a.event_id).toBe(b.event_id);
  });

  it("counts the value's UTF-8 bytes, not its characters, for the in-flight bounds", () => {
    const out = mapper.map('messages', 'insert', { ...message, content: '検索テスト' }, position);
    expect(JSON.parse(out.value).content).toBe('検索テスト');
    expect(out.valueBytes).toBe(Buffer.from(out.value, 'utf8').length);
    expect(out.bytes).toBe(out.key.length + out.valueBytes + 100);
    expect(out.valueBytes).toBeGreaterThan(out.value.length); // multi-byte
  });

  it('versions every event with its own transaction commit LSN as transactions follow one another', () => {
    const m = new ChangeMapper(topics);
    const commitLsns = [0x10n, 0x10n, 0x2an, 0x10n, 0xffffffff00000001n];
    const seen = commitLsns.map((commitLsn) => {
      const out = m.map('messages', 'insert', message, { ...position, commitLsn });
      return JSON.parse(out.value.toString()).source.commit_lsn;
    });
    expect(seen).toEqual(['0/10', '0/10', '0/2A', '0/10', 'FFFFFFFF/1']);
  });

  it('converts pgoutput commit times (µs since the epoch) to ISO with microseconds', () => {
    expect(microsToIso(1769860800123456n)).toBe('2026-01-31T12:00:00.123456Z');
  });
});

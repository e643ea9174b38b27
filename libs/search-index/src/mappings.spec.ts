import { MESSAGE_MAPPINGS, POST_MAPPINGS, SEARCH_FIELDS, concreteIndexName, indexSettings } from './index';
import type { MessageDocument, PostDocument } from './index';

describe('search index definitions', () => {
  it('maps every document field, strictly', () => {
    const message: MessageDocument = {
      id: 'm', conversation_id: 'c', sender_id: 's', content: 'x', created_at: null, edited_at: null,
      deleted: false, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: '2026-01-01T00:00:00Z',
    };
    const post: PostDocument = {
      id: 'p', author_id: 'a', title: 't', content: 'x', visibility: 'public', created_at: null, updated_at: null,
      deleted: false, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: '2026-01-01T00:00:00Z',
    };
    expect(Object.keys(MESSAGE_MAPPINGS.properties).sort()).toEqual(Object.keys(message).sort());
    expect(Object.keys(POST_MAPPINGS.properties).sort()).toEqual(Object.keys(post).sort());
    expect(MESSAGE_MAPPINGS.dynamic).toBe('strict');
  });

  it('searches text fields that carry a cjk sub-field', () => {
    for (const { field } of [...SEARCH_FIELDS.message, ...SEARCH_FIELDS.post]) {
      const props = field in MESSAGE_MAPPINGS.properties ? MESSAGE_MAPPINGS.properties : POST_MAPPINGS.properties;
      expect(props[field as keyof typeof props]).toMatchObject({ type: 'text', fields: { cjk: { analyzer: 'cjk' } } });
    }
  });

  it('names versioned concrete indices and defaults refresh to 1s', () => {
    expect(concreteIndexName('nova_messages')).toBe('nova_messages_v1');
    expect(concreteIndexName('nova_posts', 2)).toBe('nova_posts_v2');
    expect(indexSettings()).toMatchObject({ refresh_interval: '1s', number_of_shards: 1 });
    expect(indexSettings({ gcDeletes: '5s' })).toMatchObject({ gc_deletes: '5s' });
  });
});

import type { NormalizeResult } from './change';
import { messageDeleteFields, postDeleteFields } from './fields';
import { legacyMessageDeletedSchema, legacyMessagePersistedSchema } from './message.schema';
import { legacyPostDeletedSchema, legacyPostPersistedSchema } from './post.schema';
import { changed, fromError, ignored, type NormalizeContext } from './results';
import { parseWith } from './validation';

export type LegacyTopic = 'messagePersisted' | 'messageDeleted' | 'postPersisted' | 'postDeleted';

/** Which configured topic, if any, a record arrived on. */
export function legacyTopicOf(ctx: NormalizeContext): LegacyTopic | undefined {
  const topics = ctx.options.topics;
  return (Object.keys(topics) as LegacyTopic[]).find((name) => topics[name] === ctx.topic);
}

/**
 * The original flat payload (no metadata, so no version: the change is unversioned and the indexer cannot order it
 * against other writes). Entity and operation come from the topic it arrived on.
 */
export function normalizeLegacy(value: Record<string, unknown>, topic: LegacyTopic, ctx: NormalizeContext): NormalizeResult {
  const base = { version: null, committedAt: null, origin: { format: 'legacy' as const, topic: ctx.topic } };
  switch (topic) {
    case 'messagePersisted': {
      const parsed = parseWith(legacyMessagePersistedSchema, value, '');
      if (!parsed.ok) return fromError(parsed.error);
      const m = parsed.data;
      // The original service skipped a message with missing or empty content (not an error); so do we.
      if (m.content === null || m.content === undefined || m.content.trim() === '') return ignored('empty_content');
      const fields = {
        message_id: m.message_id,
        conversation_id: m.conversation_id,
        sender_id: m.sender_id,
        content: m.content,
        created_at: m.created_at ?? null,
        edited_at: m.edited_at ?? null,
      };
      return changed({ entity: 'message', id: m.message_id, operation: 'upsert', fields, ...base });
    }
    case 'messageDeleted': {
      const parsed = parseWith(legacyMessageDeletedSchema, value, '');
      if (!parsed.ok) return fromError(parsed.error);
      const m = parsed.data;
      return changed({ entity: 'message', id: m.message_id, operation: 'delete', fields: messageDeleteFields(m), ...base });
    }
    case 'postPersisted': {
      const parsed = parseWith(legacyPostPersistedSchema, value, '');
      if (!parsed.ok) return fromError(parsed.error);
      const p = parsed.data;
      const fields = {
        post_id: p.post_id,
        author_id: p.author_id,
        title: p.title ?? '',
        content: p.content,
        visibility: p.visibility,
        created_at: p.created_at ?? null,
        updated_at: p.updated_at ?? null,
      };
      return changed({ entity: 'post', id: p.post_id, operation: 'upsert', fields, ...base });
    }
    case 'postDeleted': {
      const parsed = parseWith(legacyPostDeletedSchema, value, '');
      if (!parsed.ok) return fromError(parsed.error);
      const p = parsed.data;
      return changed({ entity: 'post', id: p.post_id, operation: 'delete', fields: postDeleteFields(p), ...base });
    }
  }
}

import type { Visibility } from './common.schema';
import type { MessageFields, MessageRow } from './message.schema';
import type { PostFields, PostRow } from './post.schema';

/**
 * What a delete carries. A delete only needs the entity id; the other ids help the indexer write a complete tombstone
 * document. When the text is not known it is '' and visibility is 'private' (the most restrictive value), so a tombstone
 * can never expose anything even if a reader forgot to hide it. Without the secondary ids the fields are null.
 */
export function messageDeleteFields(known: {
  message_id: string;
  conversation_id?: string | null;
  sender_id?: string | null;
  content?: string | null;
  created_at?: string | null;
  edited_at?: string | null;
}): MessageFields | null {
  if (!known.conversation_id || !known.sender_id) return null;
  return {
    message_id: known.message_id,
    conversation_id: known.conversation_id,
    sender_id: known.sender_id,
    content: known.content ?? '',
    created_at: known.created_at ?? null,
    edited_at: known.edited_at ?? null,
  };
}

export function postDeleteFields(known: {
  post_id: string;
  author_id?: string | null;
  title?: string | null;
  content?: string | null;
  visibility?: Visibility | null;
  created_at?: string | null;
  updated_at?: string | null;
}): PostFields | null {
  if (!known.author_id) return null;
  return {
    post_id: known.post_id,
    author_id: known.author_id,
    title: known.title ?? '',
    content: known.content ?? '',
    visibility: known.visibility ?? 'private',
    created_at: known.created_at ?? null,
    updated_at: known.updated_at ?? null,
  };
}

/** A full `messages` row (Debezium column names) -> the index fields. */
export function messageFieldsFromRow(row: MessageRow): MessageFields {
  return {
    message_id: row.id,
    conversation_id: row.conversation_id,
    sender_id: row.sender_id,
    content: row.content,
    created_at: row.created_at ?? null,
    edited_at: row.edited_at ?? null,
  };
}

export function postFieldsFromRow(row: PostRow): PostFields {
  return {
    post_id: row.id,
    author_id: row.author_id,
    title: row.title,
    content: row.content,
    visibility: row.visibility,
    created_at: row.created_at ?? null,
    updated_at: row.updated_at ?? null,
  };
}

/** A possibly partial row (REPLICA IDENTITY DEFAULT sends only the key) -> delete fields. */
export function deleteFieldsFromRow(entity: 'message', row: Partial<MessageRow> & { id: string }): MessageFields | null;
export function deleteFieldsFromRow(entity: 'post', row: Partial<PostRow> & { id: string }): PostFields | null;
export function deleteFieldsFromRow(
  entity: 'message' | 'post',
  row: (Partial<MessageRow> | Partial<PostRow>) & { id: string },
): MessageFields | PostFields | null {
  if (entity === 'message') {
    const r = row as Partial<MessageRow> & { id: string };
    return messageDeleteFields({ ...r, message_id: r.id });
  }
  const r = row as Partial<PostRow> & { id: string };
  return postDeleteFields({ ...r, post_id: r.id });
}

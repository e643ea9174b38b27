import { z } from 'zod';
import { eventMetadataShape, timestampSchema, uuidSchema } from './common.schema';

/** A message as the search index needs it (the original flat payload's fields plus its times). */
export const messageFieldsSchema = z.object({
  message_id: uuidSchema,
  conversation_id: uuidSchema,
  sender_id: uuidSchema,
  content: z.string(),
  created_at: timestampSchema.nullable(),
  edited_at: timestampSchema.nullable(),
});
export type MessageFields = z.infer<typeof messageFieldsSchema>;

/** `message_persisted`: a message was created or edited. The original flat fields stay at the top level, unchanged. */
export const messagePersistedEventSchema = messageFieldsSchema.extend({
  event_type: z.literal('message_persisted'),
  ...eventMetadataShape,
});
export type MessagePersistedEvent = z.infer<typeof messagePersistedEventSchema>;

/** `message_deleted`: a message was (soft-)deleted. */
export const messageDeletedEventSchema = z.object({
  message_id: uuidSchema,
  conversation_id: uuidSchema,
  sender_id: uuidSchema,
  deleted_at: timestampSchema.nullable(),
  event_type: z.literal('message_deleted'),
  ...eventMetadataShape,
});
export type MessageDeletedEvent = z.infer<typeof messageDeletedEventSchema>;

/**
 * The original flat payload on the message-persisted topic. Only the three ids are required; `content` may be missing or
 * empty (such a message is skipped, as the original service did); extra keys are tolerated and dropped.
 */
export const legacyMessagePersistedSchema = z.object({
  message_id: uuidSchema,
  conversation_id: uuidSchema,
  sender_id: uuidSchema,
  content: z.string().nullish(),
  created_at: timestampSchema.nullish(),
  edited_at: timestampSchema.nullish(),
});

/** The flat ids on the message-deleted topic. */
export const legacyMessageDeletedSchema = z.object({
  message_id: uuidSchema,
  conversation_id: uuidSchema.nullish(),
  sender_id: uuidSchema.nullish(),
});

/**
 * A `messages` row as Debezium sends it (`after`, or `before` under REPLICA IDENTITY FULL). Columns that a connector
 * may exclude (`created_at`, `edited_at`, `deleted_at`) are optional and read as null.
 */
export const messageRowSchema = z.object({
  id: uuidSchema,
  conversation_id: uuidSchema,
  sender_id: uuidSchema,
  content: z.string(),
  created_at: timestampSchema.nullish(),
  edited_at: timestampSchema.nullish(),
  deleted_at: timestampSchema.nullish(),
});
export type MessageRow = z.infer<typeof messageRowSchema>;

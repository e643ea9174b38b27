import { z } from 'zod';
import { eventMetadataShape, timestampSchema, uuidSchema, visibilitySchema } from './common.schema';

/** A post as the search index needs it. */
export const postFieldsSchema = z.object({
  post_id: uuidSchema,
  author_id: uuidSchema,
  title: z.string(),
  content: z.string(),
  visibility: visibilitySchema,
  created_at: timestampSchema.nullable(),
  updated_at: timestampSchema.nullable(),
});
export type PostFields = z.infer<typeof postFieldsSchema>;

/** `post_persisted`: a post was created or updated. */
export const postPersistedEventSchema = postFieldsSchema.extend({
  event_type: z.literal('post_persisted'),
  ...eventMetadataShape,
});
export type PostPersistedEvent = z.infer<typeof postPersistedEventSchema>;

/** `post_deleted`: a post was (soft-)deleted. */
export const postDeletedEventSchema = z.object({
  post_id: uuidSchema,
  author_id: uuidSchema,
  deleted_at: timestampSchema.nullable(),
  event_type: z.literal('post_deleted'),
  ...eventMetadataShape,
});
export type PostDeletedEvent = z.infer<typeof postDeletedEventSchema>;

/**
 * The flat post form (our envelope's fields without metadata) on the post-persisted topic. `visibility` is required: a
 * default would risk publishing a private post to search. `title` defaults to '' like the column.
 */
export const legacyPostPersistedSchema = z.object({
  post_id: uuidSchema,
  author_id: uuidSchema,
  title: z.string().nullish(),
  content: z.string(),
  visibility: visibilitySchema,
  created_at: timestampSchema.nullish(),
  updated_at: timestampSchema.nullish(),
});

/** The flat ids on the post-deleted topic. */
export const legacyPostDeletedSchema = z.object({
  post_id: uuidSchema,
  author_id: uuidSchema.nullish(),
});

/** A `posts` row as Debezium sends it. */
export const postRowSchema = z.object({
  id: uuidSchema,
  author_id: uuidSchema,
  title: z.string(),
  content: z.string(),
  visibility: visibilitySchema,
  created_at: timestampSchema.nullish(),
  updated_at: timestampSchema.nullish(),
  deleted_at: timestampSchema.nullish(),
});
export type PostRow = z.infer<typeof postRowSchema>;

import { z } from 'zod';
import { messageDeletedEventSchema, messagePersistedEventSchema } from './message.schema';
import { postDeletedEventSchema, postPersistedEventSchema } from './post.schema';

/** Every envelope of ours, discriminated on `event_type`. */
export const novaEventSchema = z.discriminatedUnion('event_type', [
  messagePersistedEventSchema,
  messageDeletedEventSchema,
  postPersistedEventSchema,
  postDeletedEventSchema,
]);
export type NovaEvent = z.infer<typeof novaEventSchema>;
export type EventType = NovaEvent['event_type'];

export const EVENT_TYPES: readonly EventType[] = ['message_persisted', 'message_deleted', 'post_persisted', 'post_deleted'];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

export type { SourceMetadata, Visibility } from './common.schema';
export { sourceMetadataSchema, uuidSchema, timestampSchema, lsnTextSchema, SCHEMA_VERSION } from './common.schema';
export {
  messageFieldsSchema,
  messagePersistedEventSchema,
  messageDeletedEventSchema,
  type MessageFields,
  type MessagePersistedEvent,
  type MessageDeletedEvent,
} from './message.schema';
export {
  postFieldsSchema,
  postPersistedEventSchema,
  postDeletedEventSchema,
  type PostFields,
  type PostPersistedEvent,
  type PostDeletedEvent,
} from './post.schema';
export { novaEventSchema, EVENT_TYPES, isEventType, type NovaEvent, type EventType } from './envelope.schema';
export type { Change, ChangeFormat, Entity, IgnoredReason, NormalizeInput, NormalizeOptions, NormalizeResult } from './change';
export { normalize } from './normalize';
export { EventValidationError, LsnError, type EventErrorCode, type LsnErrorCode } from './errors';
export {
  messagePersistedEvent,
  messageDeletedEvent,
  postPersistedEvent,
  postDeletedEvent,
  toKafkaMessage,
  deriveEventId,
  toIsoTimestamp,
  type MessageRowInput,
  type PostRowInput,
  type TimestampInput,
} from './builders';
export { parseLsn, formatLsn, compareLsn, lsnToEsVersion, isLsn } from './lsn';

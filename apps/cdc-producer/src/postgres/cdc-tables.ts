import type { CdcTable } from '@nova/config';

/** The columns each indexed table contributes to its events; all are read as text (see events/pg-text.ts). */
export const TABLE_COLUMNS: Record<CdcTable, readonly string[]> = {
  messages: ['id', 'conversation_id', 'sender_id', 'content', 'created_at', 'edited_at', 'deleted_at'],
  posts: ['id', 'author_id', 'title', 'content', 'visibility', 'created_at', 'updated_at', 'deleted_at'],
};

export function isCdcTable(name: string, tables: readonly CdcTable[]): name is CdcTable {
  return (tables as readonly string[]).includes(name);
}

/** PostgreSQL settings for every session whose text output becomes events: UTC, ISO dates. */
export const TEXT_SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres';

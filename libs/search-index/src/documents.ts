/**
 * The documents the indexer writes and the search API reads. One shape per entity; ids are the entity ids.
 * Deletes are tombstones: the same id with `deleted: true`, kept (hidden from search) until purged, so that a late,
 * older write is rejected by its lower version instead of resurrecting the document.
 */
export interface MessageDocument {
  id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  created_at: string | null;
  edited_at: string | null;
  deleted: boolean;
  /** When the tombstone was written (ISO 8601); the purge job removes tombstones older than its horizon. */
  deleted_at: string | null;
  /** The source commit LSN as `X/Y` (null for the legacy flat payload, which carries none). */
  source_lsn: string | null;
  /** When the change was committed in PostgreSQL, when known. */
  committed_at: string | null;
  indexed_at: string;
}

export interface PostDocument {
  id: string;
  author_id: string;
  title: string;
  content: string;
  visibility: 'public' | 'followers' | 'private';
  created_at: string | null;
  updated_at: string | null;
  deleted: boolean;
  deleted_at: string | null;
  source_lsn: string | null;
  committed_at: string | null;
  indexed_at: string;
}

export type SearchEntity = 'message' | 'post';

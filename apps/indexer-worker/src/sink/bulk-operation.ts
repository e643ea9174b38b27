import { formatLsn, lsnToEsVersion, type Change, type MessageFields, type PostFields } from '@nova/events';
import type { MessageDocument, PostDocument } from '@nova/search-index';

export interface IndexAliases {
  message: string;
  post: string;
}

/**
 * One `index` action of a bulk request, serialised once, to UTF-8 (its size bounds the request). It is kept until its
 * bulk completes (and for retries), so it holds only what the worker still needs: the document object itself is not
 * kept (it, and the strings it points to, would survive every scavenge until then; `body` is its only form).
 */
export interface BulkOperation {
  index: string;
  id: string;
  /** External version (the source LSN) or null for an unversioned (legacy) write. */
  version: number | null;
  tombstone: boolean;
  /** The action line and the document line, each ending in a newline: this operation's part of the NDJSON bulk body. */
  body: Buffer;
  /** `body.length`. */
  bytes: number;
}

/**
 * Turns a normalised change into the document write that makes the index reflect it:
 * - upsert: the full document, `deleted: false`;
 * - delete: a tombstone under the same id (`deleted: true`, `deleted_at` = when it was written), hidden from search
 *   and purged after the horizon, so that a late, older upsert meets a higher version and is rejected (409).
 * Versioned changes are written with `version_type: external_gte` and version = the source LSN: equal versions
 * (duplicates, several changes of one row in one transaction, applied in partition order) overwrite; older ones
 * conflict. The legacy flat payload carries no version: it is written unversioned (internal versioning), so it always
 * overwrites whatever is there, and a later versioned write always overwrites it.
 */
export function toBulkOperation(change: Change, aliases: IndexAliases, now: Date = new Date()): BulkOperation {
  const nowIso = isoString(now);
  const tombstone = change.operation === 'delete';
  const sourceLsn = change.version === null ? null : formatLsn(change.version);
  let document: MessageDocument | PostDocument;
  // Object literals rather than a spread of shared fields: this runs once per event on the worker's hot path.
  if (change.entity === 'message') {
    const f = (change.fields ?? {}) as Partial<MessageFields>;
    document = {
      id: change.id,
      deleted: tombstone,
      deleted_at: tombstone ? nowIso : null,
      source_lsn: sourceLsn,
      committed_at: change.committedAt,
      indexed_at: nowIso,
      conversation_id: f.conversation_id ?? '',
      sender_id: f.sender_id ?? '',
      content: tombstone ? '' : (f.content ?? ''),
      created_at: tombstone ? null : (f.created_at ?? null),
      edited_at: tombstone ? null : (f.edited_at ?? null),
    } satisfies MessageDocument;
  } else {
    const f = (change.fields ?? {}) as Partial<PostFields>;
    document = {
      id: change.id,
      deleted: tombstone,
      deleted_at: tombstone ? nowIso : null,
      source_lsn: sourceLsn,
      committed_at: change.committedAt,
      indexed_at: nowIso,
      author_id: f.author_id ?? '',
      title: tombstone ? '' : (f.title ?? ''),
      content: tombstone ? '' : (f.content ?? ''),
      visibility: f.visibility ?? 'private',
      created_at: tombstone ? null : (f.created_at ?? null),
      updated_at: tombstone ? null : (f.updated_at ?? null),
    } satisfies PostDocument;
  }
  const index = change.entity === 'message' ? aliases.message : aliases.post;
  const version = change.version === null ? null : lsnToEsVersion(change.version);
  const action = version === null ? { _index: index, _id: change.id } : { _index: index, _id: change.id, version, version_type: 'external_gte' };
  // Encoded here, once: the sink concatenates the buffers into the request body (no second encoding or length pass).
  const body = Buffer.from(`${JSON.stringify({ index: action })}\n${JSON.stringify(document)}\n`, 'utf8');
  return { index, id: change.id, version, tombstone, body, bytes: body.length };
}

/** The last `now` turned into text: a batch stamps all its documents with one time, and toISOString costs ~0.8 us. */
let lastNowMs = Number.NaN;
let lastNowIso = '';

function isoString(now: Date): string {
  const ms = now.getTime();
  if (ms !== lastNowMs) {
    lastNowIso = now.toISOString();
    lastNowMs = ms;
  }
  return lastNowIso;
}

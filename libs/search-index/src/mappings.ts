import type { SearchEntity } from './documents';

/**
 * Text fields are analysed twice: `standard` (Unicode word segmentation; Han characters become single tokens)
 * and a `cjk` sub-field (bigrams), so Chinese, Japanese and Korean substrings of two or more characters match.
 */
const text = {
  type: 'text',
  analyzer: 'standard',
  fields: { cjk: { type: 'text', analyzer: 'cjk' } },
} as const;

const common = {
  id: { type: 'keyword' },
  created_at: { type: 'date' },
  deleted: { type: 'boolean' },
  deleted_at: { type: 'date' },
  source_lsn: { type: 'keyword' },
  committed_at: { type: 'date' },
  indexed_at: { type: 'date' },
} as const;

export const MESSAGE_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    ...common,
    conversation_id: { type: 'keyword' },
    sender_id: { type: 'keyword' },
    content: text,
    edited_at: { type: 'date' },
  },
} as const;

export const POST_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    ...common,
    author_id: { type: 'keyword' },
    title: text,
    content: text,
    visibility: { type: 'keyword' },
    updated_at: { type: 'date' },
  },
} as const;

export const MAPPINGS: Record<SearchEntity, typeof MESSAGE_MAPPINGS | typeof POST_MAPPINGS> = {
  message: MESSAGE_MAPPINGS,
  post: POST_MAPPINGS,
};

/** Text fields searched per entity, with their boosts (the `cjk` sub-field is searched alongside). */
export const SEARCH_FIELDS: Record<SearchEntity, Array<{ field: string; boost: number }>> = {
  message: [{ field: 'content', boost: 1 }],
  post: [
    { field: 'title', boost: 2 },
    { field: 'content', boost: 1 },
  ],
};

export interface IndexSettingsOptions {
  /** e.g. `1s` (default), `-1` to disable periodic refresh. */
  refreshInterval?: string;
  /**
   * How long Elasticsearch remembers a deleted document's version. Our deletes are tombstone documents, so this
   * only matters for purges; the default (60s) is kept.
   */
  gcDeletes?: string;
  shards?: number;
  replicas?: number;
}

export function indexSettings(options: IndexSettingsOptions = {}) {
  return {
    number_of_shards: options.shards ?? 1,
    number_of_replicas: options.replicas ?? 0,
    refresh_interval: options.refreshInterval ?? '1s',
    ...(options.gcDeletes ? { gc_deletes: options.gcDeletes } : {}),
  };
}

/** The versioned concrete index behind an alias: `nova_messages` -> `nova_messages_v1`. */
export function concreteIndexName(alias: string, version = 1): string {
  return `${alias}_v${version}`;
}

import type { Client } from '@elastic/elasticsearch';
import type { Sql } from '@nova/postgres';

export interface ConsistencyReport {
  live: { messages: number; posts: number };
  problems: string[];
}

interface LiveDoc {
  id: string;
  content: string;
  title?: string;
  visibility?: string;
}

/** Every live (non-tombstone) document behind an alias, read page by page in id order. */
export async function liveDocuments(es: Client, index: string): Promise<Map<string, LiveDoc>> {
  await es.indices.refresh({ index });
  const docs = new Map<string, LiveDoc>();
  let after: Array<string | number> | undefined;
  for (;;) {
    const res = await es.search<LiveDoc>({
      index,
      size: 5000,
      query: { bool: { filter: [{ term: { deleted: false } }] } },
      sort: [{ id: 'asc' }],
      _source: ['id', 'content', 'title', 'visibility'],
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    for (const h of hits) docs.set(h._id!, h._source!);
    if (hits.length < 5000) return docs;
    after = hits[hits.length - 1].sort as Array<string | number>;
  }
}

/**
 * The end state the invariants promise: every live row of PostgreSQL is in the index with its latest content, and no
 * document is live in the index that is not live in PostgreSQL (deleted rows stay deleted). Checked row by row.
 */
export async function compareIndexWithPostgres(sql: Sql, es: Client, indices = { messages: 'nova_messages', posts: 'nova_posts' }): Promise<ConsistencyReport> {
  const problems: string[] = [];
  const messages = await sql<{ id: string; content: string }[]>`select id, content from messages where deleted_at is null`;
  const posts = await sql<{ id: string; title: string; content: string; visibility: string }[]>`
    select id, title, content, visibility from posts where deleted_at is null`;
  const indexedMessages = await liveDocuments(es, indices.messages);
  const indexedPosts = await liveDocuments(es, indices.posts);

  const check = (kind: string, rows: Array<Record<string, string>>, indexed: Map<string, LiveDoc>, fields: string[]) => {
    const live = new Set<string>();
    for (const row of rows) {
      live.add(row['id']);
      const doc = indexed.get(row['id']) as Record<string, unknown> | undefined;
      if (!doc) problems.push(`${kind} ${row['id']} is live in PostgreSQL but missing from the index`);
      else for (const f of fields) if (doc[f] !== row[f]) problems.push(`${kind} ${row['id']}: ${f} is ${JSON.stringify(doc[f])} in the index, ${JSON.stringify(row[f])} in PostgreSQL`);
    }
    for (const id of indexed.keys()) if (!live.has(id)) problems.push(`${kind} ${id} is live in the index but deleted or absent in PostgreSQL`);
  };
  check('message', messages, indexedMessages, ['content']);
  check('post', posts, indexedPosts, ['title', 'content', 'visibility']);
  return { live: { messages: messages.length, posts: posts.length }, problems };
}

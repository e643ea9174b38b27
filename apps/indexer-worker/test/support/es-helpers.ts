import { Client } from '@elastic/elasticsearch';
import type { ExpectedDoc } from './event-story';

export function testEs(url: string): Client {
  return new Client({ node: url, maxRetries: 0, requestTimeout: 30_000 });
}

/** Every document behind an alias (refreshed first), by id. */
export async function readAllDocs(url: string, alias: string): Promise<Map<string, Record<string, unknown>>> {
  const client = testEs(url);
  try {
    await client.indices.refresh({ index: alias });
    const docs = new Map<string, Record<string, unknown>>();
    let after: unknown[] | undefined;
    for (;;) {
      const res = await client.search<Record<string, unknown>>({
        index: alias,
        size: 5_000,
        sort: [{ id: 'asc' }],
        query: { match_all: {} },
        ...(after ? { search_after: after as never } : {}),
      });
      const hits = res.hits.hits;
      for (const h of hits) docs.set(h._id as string, h._source as Record<string, unknown>);
      if (hits.length < 5_000) return docs;
      after = hits[hits.length - 1].sort as unknown[];
    }
  } finally {
    await client.close();
  }
}

/** Differences between the index and the expected state (empty when they agree). */
export async function diffIndex(url: string, aliases: { message: string; post: string }, expected: Map<string, ExpectedDoc>): Promise<string[]> {
  const [messages, posts] = await Promise.all([readAllDocs(url, aliases.message), readAllDocs(url, aliases.post)]);
  const problems: string[] = [];
  for (const [id, want] of expected) {
    const doc = (want.entity === 'message' ? messages : posts).get(id);
    if (!doc) problems.push(`${want.entity} ${id}: missing`);
    else if (doc['deleted'] !== want.deleted) problems.push(`${want.entity} ${id}: deleted=${String(doc['deleted'])}, want ${String(want.deleted)} (lsn ${String(doc['source_lsn'])} want ${want.sourceLsn})`);
    else if (doc['source_lsn'] !== want.sourceLsn) problems.push(`${want.entity} ${id}: at ${String(doc['source_lsn'])}, want ${want.sourceLsn}`);
    else if (!want.deleted && doc['content'] !== want.content) problems.push(`${want.entity} ${id}: content differs`);
  }
  const extra = messages.size + posts.size - expected.size;
  if (extra !== 0) problems.push(`${extra} document(s) more than expected`);
  return problems;
}

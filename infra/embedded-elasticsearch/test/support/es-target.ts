import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { startEmbeddedElasticsearch, type EmbeddedElasticsearch } from '../../src';

/**
 * The server a contract suite runs against: a real cluster when ELASTICSEARCH_TEST_URL is set, else a fresh
 * embedded server. Suites use only the official client, so the same assertions hold for both.
 */
export interface EsTarget {
  url: string;
  client: Client;
  /** Present when the suite runs against the embedded server. */
  embedded?: EmbeddedElasticsearch;
  /** A unique index (or alias) name for one test. */
  name(prefix?: string): string;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<EsTarget> {
  const external = process.env.ELASTICSEARCH_TEST_URL;
  const embedded = external ? undefined : await startEmbeddedElasticsearch();
  const url = external ?? embedded!.url;
  const client = new Client({ node: url, maxRetries: 0, requestTimeout: 30_000 });
  const created: string[] = [];
  return {
    url,
    client,
    embedded,
    name(prefix = 'idx') {
      const n = `${prefix}-${randomUUID().slice(0, 8)}`;
      created.push(n);
      return n;
    },
    async stop() {
      if (external) {
        const rows = (await client.cat.indices({ format: 'json' })) as Array<{ index?: string }>;
        const mine = rows.map((r) => r.index ?? '').filter((i) => created.some((n) => i.startsWith(n)));
        if (mine.length > 0) await client.indices.delete({ index: mine });
      }
      await client.close();
      await embedded?.stop();
    },
  };
}

/** The error body of a failed client call (`e.meta.body`) and its status. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; body: { error: { type: string; reason: string; root_cause: Array<{ type: string; reason: string }> }; status: number } }> {
  try {
    await promise;
  } catch (e) {
    const meta = (e as { meta?: { statusCode: number; body: never } }).meta;
    if (meta) return { status: meta.statusCode, body: meta.body };
    throw e;
  }
  throw new Error('expected the request to fail');
}

/** A document of the `nova_messages` mappings (`MESSAGE_MAPPINGS`) with the given id and content. */
export function message(id: string, content: string) {
  return {
    id, conversation_id: 'c1', sender_id: 's1', content, created_at: '2026-01-01T00:00:00Z', edited_at: null,
    deleted: false, deleted_at: null, source_lsn: '0/16B3748', committed_at: null, indexed_at: '2026-01-01T00:00:01Z',
  };
}

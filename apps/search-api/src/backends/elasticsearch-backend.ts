import type { Client } from '@elastic/elasticsearch';
import { SEARCH_FIELDS } from '@nova/search-index';
import type { Clause } from '../query/query-parser';
import type { SortKey } from '../query/cursor';
import { BackendError, PitExpiredError, type BackendHit, type BackendQuery, type SearchBackend } from './search-backend';

type Query = Record<string, unknown>;

// Letters and digits of scripts the standard tokenizer keeps together as one word.
const SINGLE_TOKEN = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]+$/u;

// Only the fields a hit shows (tombstone and bookkeeping fields stay on the server).
const MESSAGE_SOURCE = ['conversation_id', 'sender_id', 'content', 'created_at', 'edited_at'];
const POST_SOURCE = ['author_id', 'title', 'content', 'visibility', 'created_at', 'updated_at'];

export interface ElasticsearchBackendOptions {
  client: Client;
  messageIndex: string;
  postIndex: string;
  /** Longest a request waits for Elasticsearch. */
  deadlineMs: number;
}

/**
 * Searches the aliases the indexer writes. Words and phrases match the `standard` fields; Chinese, Japanese and
 * Korean terms match as phrases of bigrams on the `cjk` sub-fields (= substrings of two or more characters).
 * Tombstones (`deleted: true`) are always filtered out.
 */
export class ElasticsearchSearchBackend implements SearchBackend {
  readonly name = 'elasticsearch' as const;
  constructor(private readonly options: ElasticsearchBackendOptions) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.call(() => this.options.client.cluster.health({}, { signal, requestTimeout: this.options.deadlineMs, maxRetries: 0 }));
  }

  async search(q: BackendQuery, signal: AbortSignal): Promise<BackendHit[]> {
    const fields = SEARCH_FIELDS[q.entity];
    const clause = (c: Clause): Query => {
      // One CJK character is a token of the standard field; longer CJK terms are bigram phrases on `cjk`.
      const singleCjk = c.cjk && [...c.text.replace(/\s/gu, '')].length === 1;
      const names = fields.map(({ field, boost }) => `${field}${c.cjk && !singleCjk ? '.cjk' : ''}^${boost}`);
      // A plain word is one token: a term match is enough (phrases cost position checks on every candidate).
      const oneToken = singleCjk || (!c.cjk && SINGLE_TOKEN.test(c.text));
      return { multi_match: { query: c.text, type: oneToken ? 'best_fields' : 'phrase', fields: names } };
    };
    const filter: Query[] = [];
    if (q.entity === 'message') {
      if (!q.conversationIds) throw new Error('an Elasticsearch message search needs conversationIds'); // never unscoped
      filter.push({ terms: { conversation_id: q.conversationIds } });
      if (q.senderId) filter.push({ term: { sender_id: q.senderId } });
    } else {
      const visible: Query[] = [{ term: { visibility: 'public' } }];
      if (q.viewerId) visible.push({ term: { author_id: q.viewerId } });
      filter.push({ bool: { should: visible, minimum_should_match: 1 } });
      if (q.authorId) filter.push({ term: { author_id: q.authorId } });
    }
    const must = q.query.groups.map((g) => (g.length === 1 ? clause(g[0] as Clause) : { bool: { should: g.map(clause), minimum_should_match: 1 } }));
    const mustNot: Query[] = [{ term: { deleted: true } }, { exists: { field: 'deleted_at' } }, ...q.query.excluded.map(clause)];
    const sort = q.sort === 'recent' ? [{ created_at: { order: 'desc' } }, { id: { order: 'desc' } }] : [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }];
    const index = q.entity === 'message' ? this.options.messageIndex : this.options.postIndex;
    const transport = { signal, requestTimeout: this.options.deadlineMs, maxRetries: 0 };
    const request = {
      size: q.size,
      track_total_hits: false,
      _source: q.entity === 'message' ? MESSAGE_SOURCE : POST_SOURCE,
      query: { bool: { must, filter, must_not: mustNot } },
      sort,
      ...(q.after ? { search_after: q.after } : {}),
    };
    const search = (body: Record<string, unknown>) => this.call(() => this.options.client.search<Record<string, unknown>>(body as never, transport));
    const pit = q.pit;
    let res: Awaited<ReturnType<typeof search>> | undefined;
    if (pit && !pit.id) {
      // A first page. If everything fits on it there is nothing to page through: no point in time needed.
      res = await search({ index, ...request });
      if (res.hits.hits.length >= q.size) {
        // More pages: open a point in time (the documents and BM25 statistics every page is scored with) and read
        // this first page from it too, so that it and the next pages are one consistent ranking.
        const opened = await this.call(() => this.options.client.openPointInTime({ index, keep_alive: `${pit.keepAliveS}s` }, transport));
        pit.id = opened.id;
        res = undefined;
      }
    }
    // Searches in a point in time name no index (it is part of the point in time).
    res ??= await search(pit?.id ? { ...request, pit: { id: pit.id, keep_alive: `${pit.keepAliveS}s` } } : { index, ...request });
    if (pit?.id && res.pit_id) pit.id = res.pit_id;
    return res.hits.hits.map((h) => {
      const s = h._source ?? {};
      const sortValues = (h.sort ?? []) as unknown[];
      // In a point in time Elasticsearch appends its `_shard_doc` tiebreaker; the next page must send it back.
      const tiebreaker = pit?.id && typeof sortValues[2] === 'number' ? sortValues[2] : undefined;
      const key: SortKey = [Number(sortValues[0] ?? h._score ?? 0), String(sortValues[1] ?? h._id)];
      return {
        id: h._id as string,
        score: typeof h._score === 'number' ? h._score : 0,
        sortKey: tiebreaker === undefined ? key : [key[0], key[1], tiebreaker],
        title: q.entity === 'post' ? String(s['title'] ?? '') : undefined,
        content: String(s['content'] ?? ''),
        createdAt: (s['created_at'] as string | null) ?? null,
        updatedAt: ((q.entity === 'post' ? s['updated_at'] : s['edited_at']) as string | null) ?? null,
        conversationId: s['conversation_id'] as string | undefined,
        senderId: s['sender_id'] as string | undefined,
        authorId: s['author_id'] as string | undefined,
        visibility: s['visibility'] as string | undefined,
      } satisfies BackendHit;
    });
  }

  /** Frees a point in time nobody will page through (best effort: it expires after its keep-alive anyway). */
  async closePit(id: string): Promise<void> {
    await this.options.client.closePointInTime({ id }, { requestTimeout: this.options.deadlineMs, maxRetries: 0 }).catch(() => undefined);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const meta = (err as { meta?: { statusCode?: number; body?: { error?: { type?: string } } } }).meta;
      if (meta?.statusCode === 404 && meta.body?.error?.type === 'search_context_missing_exception') {
        throw new PitExpiredError('the point in time of this cursor has expired', { cause: err });
      }
      const name = (err as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'RequestAbortedError') {
        throw new BackendError('elasticsearch', 'timeout', 'Elasticsearch did not answer within the deadline', { cause: err });
      }
      const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
      throw new BackendError('elasticsearch', name === 'ConnectionError' ? 'unavailable' : 'error', `Elasticsearch request failed (${name ?? 'error'}${status ? ` ${status}` : ''})`, {
        cause: err,
      });
    }
  }
}

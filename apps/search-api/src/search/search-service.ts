import type { Logger } from '@nova/logger';
import type { CircuitBreaker } from '../backends/circuit-breaker';
import { BackendError, PitExpiredError, type BackendHit, type BackendQuery, type SearchBackend } from '../backends/search-backend';
import { ApiError } from '../http/api-error';
import { CursorError, type BackendName, type CursorCodec, type CursorState } from '../query/cursor';
import { QuerySyntaxError, parseQuery, positiveClauses, type ParsedQuery } from '../query/query-parser';
import { highlighterFor } from './highlighter';
import type { MembershipCache } from './membership-cache';
import type { SearchMetrics } from './search-metrics';
import type { SearchParams } from './search-params';

// PostgreSQL is bounded by its statement_timeout; no per-request timer needed.
const NO_DEADLINE = new AbortController().signal;

export interface SearchHit {
  id: string;
  kind: 'message' | 'post';
  score: number;
  snippet: string;
  title?: string;
  created_at: string | null;
  updated_at: string | null;
  conversation_id?: string;
  sender_id?: string;
  author_id?: string;
  visibility?: string;
}

export interface SearchResponse {
  backend: BackendName;
  hits: SearchHit[];
  next_cursor: string | null;
}

export interface SearchServiceDeps {
  postgres: SearchBackend;
  elasticsearch?: SearchBackend;
  breaker: CircuitBreaker;
  memberships: MembershipCache;
  cursors: CursorCodec;
  metrics: SearchMetrics;
  logger: Logger;
  esDeadlineMs: number;
  /** How long a relevance point in time on Elasticsearch lives after each page. */
  pitKeepAliveS: number;
}

/** Authorises, parses and routes one search: Elasticsearch unless its breaker is open or it fails, else PostgreSQL. */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async searchMessages(params: SearchParams, userId: string): Promise<SearchResponse> {
    const query = this.parse(params.q);
    const binding = JSON.stringify(['messages', userId, params.q, params.sort, params.conversationId ?? null, params.senderId ?? null]);
    const cursor = this.decodeCursor(params, binding);
    // PostgreSQL reads the caller's memberships in the search statement itself (one round trip, always current).
    const q: BackendQuery = {
      entity: 'message',
      query,
      sort: params.sort,
      size: params.limit + 1,
      after: cursor?.after,
      senderId: params.senderId,
      memberId: userId,
      conversationId: params.conversationId,
    };
    // Elasticsearch needs the conversation ids: from PostgreSQL, cached for at most the membership TTL.
    const forElasticsearch = async (): Promise<BackendQuery | null> => {
      const member = await this.deps.memberships.conversationsOf(userId);
      // A conversation outside the caller's memberships looks exactly like one with no matches.
      const conversationIds = params.conversationId ? member.filter((c) => c === params.conversationId) : member;
      return conversationIds.length === 0 ? null : { ...q, memberId: undefined, conversationId: undefined, conversationIds };
    };
    return this.run(q, params, cursor, binding, forElasticsearch);
  }

  async searchPosts(params: SearchParams, viewerId: string | undefined): Promise<SearchResponse> {
    const query = this.parse(params.q);
    const binding = JSON.stringify(['posts', viewerId ?? null, params.q, params.sort, params.authorId ?? null]);
    const cursor = this.decodeCursor(params, binding);
    return this.run(
      { entity: 'post', query, sort: params.sort, size: params.limit + 1, after: cursor?.after, authorId: params.authorId, viewerId },
      params,
      cursor,
      binding,
    );
  }

  private async run(
    q: BackendQuery,
    params: SearchParams,
    cursor: CursorState | undefined,
    binding: string,
    forElasticsearch?: () => Promise<BackendQuery | null>,
  ): Promise<SearchResponse> {
    const { backend, rows, pit } = await this.route(q, cursor, forElasticsearch);
    const shown = rows.slice(0, params.limit);
    const last = shown[shown.length - 1];
    const more = rows.length > params.limit && last !== undefined;
    const next = more
      ? this.deps.cursors.encode({ sort: params.sort, backend: params.sort === 'relevance' ? backend : undefined, after: last.sortKey, pit }, binding)
      : null;
    // The last page: nobody will read this point in time again.
    if (pit && !more) void this.deps.elasticsearch?.closePit?.(pit);
    const highlight = highlighterFor(positiveClauses(q.query));
    return { backend, hits: shown.map((h) => toHit(h, q.entity, highlight)), next_cursor: next };
  }

  /**
   * `q` is what PostgreSQL runs; `forElasticsearch` (messages) turns it into Elasticsearch's form, or null when the
   * caller may read nothing (answered without a backend).
   */
  private async route(
    q: BackendQuery,
    cursor: CursorState | undefined,
    forElasticsearch: () => Promise<BackendQuery | null> = async () => q,
  ): Promise<{ backend: BackendName; rows: BackendHit[]; pit?: string }> {
    const { elasticsearch, postgres, breaker, metrics } = this.deps;
    // Relevance scores differ between backends: a relevance cursor stays with the backend that issued it.
    const pinned = cursor?.sort === 'relevance' ? cursor.backend : undefined;
    if (pinned === 'postgres' || !elasticsearch) {
      if (!elasticsearch) metrics.fallbacks.inc({ reason: 'disabled' });
      return { backend: 'postgres', rows: await postgres.search(q, NO_DEADLINE) };
    }
    const esQuery = await forElasticsearch();
    if (esQuery === null) return { backend: this.preferredBackend(cursor), rows: [] };
    q = esQuery; // a fallback from here on reuses it (PostgreSQL accepts either form)
    // Relevance pages are read from one point in time (BM25 statistics move with every write); recent pages are keyset
    // pages on stored values and need none.
    // (A relevance cursor issued without one, by an older version, goes on without one.)
    const usePit = q.sort === 'relevance' && (cursor === undefined || cursor.pit !== undefined);
    const pit = usePit ? { id: cursor?.pit, keepAliveS: this.deps.pitKeepAliveS } : undefined;
    const permit = breaker.tryAcquire();
    if (!permit.allowed) {
      if (pinned === 'elasticsearch') throw new ApiError('CURSOR_STALE', 'the search backend that issued this cursor is unavailable; repeat the search without a cursor', 'cursor');
      metrics.fallbacks.inc({ reason: 'breaker_open' });
      return { backend: 'postgres', rows: await postgres.search(q, NO_DEADLINE) };
    }
    try {
      const rows = await elasticsearch.search({ ...q, pit }, AbortSignal.timeout(this.deps.esDeadlineMs));
      breaker.record(true, permit.probe);
      return { backend: 'elasticsearch', rows, pit: pit?.id };
    } catch (err) {
      if (err instanceof PitExpiredError) {
        breaker.record(true, permit.probe); // Elasticsearch answered; the cursor is what is too old
        throw new ApiError('CURSOR_EXPIRED', 'this cursor has expired (its point in time is gone); repeat the search without a cursor', 'cursor');
      }
      breaker.record(false, permit.probe);
      const kind = err instanceof BackendError ? err.kind : 'error';
      metrics.backendErrors.inc({ backend: 'elasticsearch', kind });
      this.deps.logger.warn('Elasticsearch search failed; answering from PostgreSQL', { component: 'search', error: (err as Error).message, kind });
      if (pinned === 'elasticsearch') throw new ApiError('CURSOR_STALE', 'the search backend that issued this cursor is unavailable; repeat the search without a cursor', 'cursor');
      metrics.fallbacks.inc({ reason: kind });
      return { backend: 'postgres', rows: await postgres.search(q, NO_DEADLINE) };
    }
  }

  private preferredBackend(cursor: CursorState | undefined): BackendName {
    if (cursor?.sort === 'relevance' && cursor.backend) return cursor.backend;
    return this.deps.elasticsearch && this.deps.breaker.state === 'closed' ? 'elasticsearch' : 'postgres';
  }

  private parse(q: string): ParsedQuery {
    try {
      return parseQuery(q);
    } catch (err) {
      if (err instanceof QuerySyntaxError) throw new ApiError('INVALID_QUERY', err.message, 'q');
      throw err;
    }
  }

  private decodeCursor(params: SearchParams, binding: string): CursorState | undefined {
    if (params.cursor === undefined) return undefined;
    try {
      const state = this.deps.cursors.decode(params.cursor, binding);
      if (state.sort !== params.sort) throw new CursorError('cursor belongs to a different query');
      return state;
    } catch (err) {
      if (err instanceof CursorError) throw new ApiError('INVALID_CURSOR', err.message, 'cursor');
      throw err;
    }
  }
}

function toHit(h: BackendHit, kind: 'message' | 'post', highlight: (text: string, maxLength?: number) => string): SearchHit {
  const hit: SearchHit = { id: h.id, kind, score: h.score, snippet: highlight(h.content), created_at: h.createdAt, updated_at: h.updatedAt };
  if (kind === 'message') {
    hit.conversation_id = h.conversationId;
    hit.sender_id = h.senderId;
  } else {
    hit.title = highlight(h.title ?? '', 300);
    hit.author_id = h.authorId;
    hit.visibility = h.visibility;
  }
  return hit;
}

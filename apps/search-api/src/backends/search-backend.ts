import type { ParsedQuery } from '../query/query-parser';
import type { BackendName, SortKey, SortMode } from '../query/cursor';

/** One search, already authorised: every filter here is a restriction the backend must apply. */
export interface BackendQuery {
  entity: 'message' | 'post';
  query: ParsedQuery;
  sort: SortMode;
  /** Rows to return (the caller asks for one more than it shows, to know whether a next page exists). */
  size: number;
  /** Keyset position: results strictly after this sort key. */
  after?: SortKey;
  /**
   * Elasticsearch relevance paging: search a point in time (opened when `id` is unset). The backend stores the id
   * Elasticsearch answered with in `id` (use the latest, as Elasticsearch requires).
   */
  pit?: { id?: string; keepAliveS: number };
  /**
   * Messages: the conversations the caller may read (never empty: an empty set is answered without a backend).
   * Elasticsearch needs them; PostgreSQL, given `memberId` instead, reads the memberships in the same statement.
   */
  conversationIds?: string[];
  /** Messages without `conversationIds`: the caller, whose current memberships bound the search (PostgreSQL only). */
  memberId?: string;
  /** Messages with `memberId`: only this conversation (and still only if the caller is a member). */
  conversationId?: string;
  senderId?: string;
  /** Posts. */
  authorId?: string;
  /** Authenticated caller: their own non-public posts are included. */
  viewerId?: string;
}

export interface BackendHit {
  id: string;
  score: number;
  /** The hit's sort key, in the cursor's form. */
  sortKey: SortKey;
  title?: string;
  content: string;
  createdAt: string | null;
  updatedAt: string | null;
  conversationId?: string;
  senderId?: string;
  authorId?: string;
  visibility?: string;
}

export interface SearchBackend {
  readonly name: BackendName;
  search(q: BackendQuery, signal: AbortSignal): Promise<BackendHit[]>;
  /** A cheap reachability check for readiness. */
  ping(signal: AbortSignal): Promise<void>;
  /** Elasticsearch: frees a point in time (best effort). */
  closePit?(id: string): Promise<void>;
}

/** A backend failed (unreachable, timed out, or answered with an error). */
export class BackendError extends Error {
  readonly code: string;
  readonly retryable = true;
  constructor(
    readonly backend: BackendName,
    readonly kind: 'timeout' | 'unavailable' | 'error',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendError';
    this.code = kind === 'timeout' ? 'BACKEND_TIMEOUT' : 'BACKEND_UNAVAILABLE';
  }
}

/** The point in time a cursor reads from no longer exists (expired after its keep-alive, or the cluster restarted). */
export class PitExpiredError extends Error {
  readonly code = 'CURSOR_EXPIRED';
  readonly retryable = false;
}

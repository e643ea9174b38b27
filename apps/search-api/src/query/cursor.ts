import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Opaque, tamper-evident pagination cursors: base64url(JSON) + "." + base64url(HMAC-SHA256). A cursor is bound to
 * the query that produced it (route, parameters and caller), so it cannot be replayed against another query.
 */
export type SortMode = 'relevance' | 'recent';
export type BackendName = 'elasticsearch' | 'postgres';

/** The sort key of a hit: relevance -> [score, id]; recent -> [created_at epoch ms, id]; in an Elasticsearch point in
 * time a third value, the `_shard_doc` tiebreaker, follows. */
export type SortKey = [number, string] | [number, string, number];

export interface CursorState {
  sort: SortMode;
  /** Relevance scores are backend-specific: the backend that produced the cursor answers the following pages. */
  backend?: BackendName;
  /** The sort key of the last hit. */
  after: SortKey;
  /** Elasticsearch relevance paging: the point in time every page is read from (frozen documents and statistics). */
  pit?: string;
}

export class CursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  readonly retryable = false;
}

// A point-in-time id (Elasticsearch's are a few hundred characters) rides in the cursor.
const MAX_CURSOR_LENGTH = 2048;
const MAX_PIT_LENGTH = 1024;

export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(state: CursorState, binding: string): string {
    const body = Buffer.from(JSON.stringify({ v: 1, s: state.sort, b: state.backend, a: state.after, p: state.pit, h: digest(binding) })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** Throws CursorError unless the cursor is intact, well formed and issued for this query. */
  decode(cursor: string, binding: string): CursorState {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(cursor)) throw new CursorError('cursor is malformed');
    const [body, mac] = cursor.split('.') as [string, string];
    // Compare the canonical text (not decoded bytes): base64url's padding bits must not be malleable either.
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CursorError('cursor was modified or issued by another server');
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new CursorError('cursor is malformed');
    }
    const c = raw as { v?: unknown; s?: unknown; b?: unknown; a?: unknown; p?: unknown; h?: unknown };
    const pit = c.p;
    const validPit = pit === undefined || (typeof pit === 'string' && pit.length > 0 && pit.length <= MAX_PIT_LENGTH);
    const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
    const validAfter =
      Array.isArray(c.a) &&
      finite(c.a[0]) &&
      typeof c.a[1] === 'string' &&
      (c.a.length === 2 || (c.a.length === 3 && pit !== undefined && Number.isSafeInteger(c.a[2])));
    if (c.v !== 1 || (c.s !== 'relevance' && c.s !== 'recent') || !validAfter || !validPit) throw new CursorError('cursor is malformed');
    if (c.b !== undefined && c.b !== 'elasticsearch' && c.b !== 'postgres') throw new CursorError('cursor is malformed');
    if (pit !== undefined && (c.b !== 'elasticsearch' || c.s !== 'relevance')) throw new CursorError('cursor is malformed');
    if (c.h !== digest(binding)) throw new CursorError('cursor belongs to a different query');
    return { sort: c.s, backend: c.b as BackendName | undefined, after: c.a as SortKey, pit: pit as string | undefined };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function digest(binding: string): string {
  return createHash('sha256').update(binding).digest('base64url').slice(0, 16);
}

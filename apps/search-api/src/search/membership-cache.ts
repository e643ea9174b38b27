import type { Sql } from '@nova/postgres';
import { BackendError } from '../backends/search-backend';
import { withStatementDeadline } from '../backends/statement-deadline';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Waiter {
  resolve(ids: string[]): void;
  reject(err: unknown): void;
}

/**
 * The conversations a user belongs to, read from PostgreSQL (the source of truth) and cached for at most `ttlMs`,
 * so a removed member loses access within that time. Concurrent lookups for one user share one query, and the
 * lookups of different users that start in the same turn of the event loop share one statement (under load several
 * requests are read from their sockets in one turn: one round trip instead of one each).
 */
export class MembershipCache {
  private readonly entries = new Map<string, { ids: string[]; expires: number }>();
  private readonly inflight = new Map<string, Promise<string[]>>();
  /** Lookups waiting for the statement sent at the end of this turn of the event loop. */
  private batch: Map<string, Waiter> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly ttlMs: number,
    private readonly statementTimeoutMs = 3_000,
    private readonly maxUsers = 50_000,
    private readonly maxBatch = 100,
  ) {}

  async conversationsOf(userId: string): Promise<string[]> {
    const hit = this.entries.get(userId);
    if (hit && hit.expires > Date.now()) return hit.ids;
    const pending = this.inflight.get(userId);
    if (pending) return pending;
    const lookup = this.enqueue(userId).finally(() => this.inflight.delete(userId));
    this.inflight.set(userId, lookup);
    return lookup;
  }

  private enqueue(userId: string): Promise<string[]> {
    // Not a user id (the token verifier admits only UUIDs): a member of nothing, and never a reason to fail the batch.
    if (!UUID.test(userId)) return Promise.resolve([]);
    let batch = this.batch;
    if (!batch) {
      const created = new Map<string, Waiter>();
      batch = this.batch = created;
      setImmediate(() => {
        if (this.batch === created) this.batch = undefined;
        void this.load(created);
      });
    }
    const waiting = batch;
    return new Promise<string[]>((resolve, reject) => {
      waiting.set(userId, { resolve, reject });
      if (waiting.size >= this.maxBatch && this.batch === waiting) this.batch = undefined; // later lookups start a new one
    });
  }

  private async load(batch: Map<string, Waiter>): Promise<void> {
    const started = Date.now();
    const users = [...batch.keys()];
    let rows: Array<{ user_id: string; conversation_id: string }>;
    try {
      rows = await withStatementDeadline(
        this.sql<{ user_id: string; conversation_id: string }[]>`select user_id, conversation_id from conversation_members where user_id = any(${users}::uuid[])`,
        this.statementTimeoutMs,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      const error = new BackendError('postgres', code === '57014' ? 'timeout' : 'unavailable', `membership lookup failed (${code ?? 'no code'})`, { cause: err });
      for (const waiter of batch.values()) waiter.reject(error);
      return;
    }
    const byUser = new Map<string, string[]>(users.map((u) => [u, []]));
    for (const r of rows) byUser.get(r.user_id)?.push(r.conversation_id);
    for (const [userId, waiter] of batch) {
      const ids = byUser.get(userId) ?? [];
      if (this.ttlMs > 0) {
        if (this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
        this.entries.delete(userId);
        // The TTL counts from when the lookup started: never serve a membership older than ttlMs.
        this.entries.set(userId, { ids, expires: started + this.ttlMs });
      }
      waiter.resolve(ids);
    }
  }
}

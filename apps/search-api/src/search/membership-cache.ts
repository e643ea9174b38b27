import type { Sql } from '@nova/postgres';
import { BackendError } from '../backends/search-backend';
import { withStatementDeadline } from '../backends/statement-deadline';

/**
 * The conversations a user belongs to, read from PostgreSQL (the source of truth) and cached for at most `ttlMs`,
 * so a removed member loses access within that time. Concurrent lookups for one user share one query.
 */
export class MembershipCache {
  private readonly entries = new Map<string, { ids: string[]; expires: number }>();
  private readonly inflight = new Map<string, Promise<string[]>>();

  constructor(
    private readonly sql: Sql,
    private readonly ttlMs: number,
    private readonly statementTimeoutMs = 3_000,
    private readonly maxUsers = 50_000,
  ) {}

  async conversationsOf(userId: string): Promise<string[]> {
    const hit = this.entries.get(userId);
    if (hit && hit.expires > Date.now()) return hit.ids;
    const pending = this.inflight.get(userId);
    if (pending) return pending;
    const lookup = this.load(userId).finally(() => this.inflight.delete(userId));
    this.inflight.set(userId, lookup);
    return lookup;
  }

  private async load(userId: string): Promise<string[]> {
    const started = Date.now();
    let rows: Array<{ conversation_id: string }>;
    try {
      rows = await withStatementDeadline(
        this.sql<{ conversation_id: string }[]>`select conversation_id from conversation_members where user_id = ${userId}::uuid`,
        this.statementTimeoutMs,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new BackendError('postgres', code === '57014' ? 'timeout' : 'unavailable', `membership lookup failed (${code ?? 'no code'})`, { cause: err });
    }
    const ids = rows.map((r) => r.conversation_id);
    if (this.ttlMs > 0) {
      if (this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.delete(userId);
      // The TTL counts from when the lookup started: never serve a membership older than ttlMs.
      this.entries.set(userId, { ids, expires: started + this.ttlMs });
    }
    return ids;
  }
}

import { randomUUID } from 'node:crypto';
import type { Sql } from '@nova/postgres';
import type { BaseRows } from './source-db';

export type EventType = 'message_persisted' | 'message_deleted' | 'post_persisted' | 'post_deleted';
export interface ExpectedChange {
  type: EventType;
  content: string | null;
}

interface Entity {
  kind: 'message' | 'post';
  softDeleted: boolean;
}

/**
 * A single writer committing random transactions (1..maxOps changes each) on messages and posts: inserts, edits, soft
 * deletes, hard deletes, several changes to one row in one transaction. After each commit it records, per entity, the
 * events the producer must publish, in commit order.
 */
export class Workload {
  readonly expected = new Map<string, ExpectedChange[]>();
  readonly entities = new Map<string, Entity>();
  changes = 0;
  /** Events the producer must publish (a row changed twice in one transaction yields one). */
  events = 0;
  transactions = 0;
  private seq = 0;
  private rnd: () => number;

  constructor(
    private readonly sql: Sql,
    private readonly base: BaseRows,
    seed = 42,
    private readonly maxOps = 12,
  ) {
    let s = seed >>> 0;
    this.rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }

  /** Lets the writer change rows that existed before it started (their earlier history is not tracked). */
  adopt(id: string, kind: 'message' | 'post', softDeleted = false): void {
    this.entities.set(id, { kind, softDeleted });
  }

  /** Commits transactions until `done()` returns true; at most `perSecond` changes per second. */
  async run(done: () => boolean, perSecond: number): Promise<void> {
    const started = Date.now();
    while (!done()) {
      await this.transaction();
      const ahead = this.changes / perSecond - (Date.now() - started) / 1000;
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead * 1000)); // pacing, not waiting for a condition
    }
  }

  async transaction(): Promise<void> {
    const ops = 1 + Math.floor(this.rnd() * this.maxOps);
    const pending: Array<[string, ExpectedChange]> = [];
    const touched = new Map<string, Entity | undefined>();
    await this.sql.begin(async (tx) => {
      for (let i = 0; i < ops; i++) {
        const change = await this.operation(tx as unknown as Sql, touched);
        if (change) pending.push(change);
      }
    });
    for (const [id, state] of touched) {
      if (state) this.entities.set(id, state);
      else this.entities.delete(id);
    }
    // The producer publishes each row's final state per transaction (TransactionCoalescer): one version, one event.
    const last = new Map<string, ExpectedChange>();
    for (const [id, change] of pending) {
      last.delete(id);
      last.set(id, change);
    }
    for (const [id, change] of last) {
      let list = this.expected.get(id);
      if (!list) this.expected.set(id, (list = []));
      list.push(change);
    }
    this.changes += pending.length;
    this.events += last.size;
    this.transactions++;
  }

  private pick(touched: Map<string, Entity | undefined>): [string, Entity] | undefined {
    if (this.entities.size === 0) return undefined;
    const ids = [...this.entities.keys()];
    for (let i = 0; i < 4; i++) {
      const id = ids[Math.floor(this.rnd() * ids.length)]!;
      const state = touched.has(id) ? touched.get(id) : this.entities.get(id);
      if (state) return [id, state];
    }
    return undefined;
  }

  private async operation(tx: Sql, touched: Map<string, Entity | undefined>): Promise<[string, ExpectedChange] | undefined> {
    const r = this.rnd();
    const content = `c${++this.seq}-${'x'.repeat(Math.floor(this.rnd() * 40))}`;
    const existing = r >= 0.45 ? this.pick(touched) : undefined;
    if (!existing) {
      const id = randomUUID();
      if (this.rnd() < 0.8) {
        await tx`insert into messages (id, conversation_id, sender_id, content) values (${id}, ${this.base.conversationId}, ${this.base.userId}, ${content})`;
        touched.set(id, { kind: 'message', softDeleted: false });
        return [id, { type: 'message_persisted', content }];
      }
      await tx`insert into posts (id, author_id, title, content) values (${id}, ${this.base.userId}, ${'t' + this.seq}, ${content})`;
      touched.set(id, { kind: 'post', softDeleted: false });
      return [id, { type: 'post_persisted', content }];
    }
    const [id, state] = existing;
    const table = state.kind === 'message' ? 'messages' : 'posts';
    const deletedType: EventType = state.kind === 'message' ? 'message_deleted' : 'post_deleted';
    const persistedType: EventType = state.kind === 'message' ? 'message_persisted' : 'post_persisted';
    if (r < 0.75) {
      if (state.kind === 'message') await tx`update messages set content = ${content}, edited_at = now() where id = ${id}`;
      else await tx`update posts set content = ${content}, updated_at = now() where id = ${id}`;
      touched.set(id, state);
      return [id, state.softDeleted ? { type: deletedType, content: null } : { type: persistedType, content }];
    }
    if (r < 0.88) {
      await tx.unsafe(`update ${table} set deleted_at = now() where id = $1`, [id]);
      touched.set(id, { ...state, softDeleted: true });
      return [id, { type: deletedType, content: null }];
    }
    await tx.unsafe(`delete from ${table} where id = $1`, [id]);
    touched.set(id, undefined);
    return [id, { type: deletedType, content: null }];
  }
}

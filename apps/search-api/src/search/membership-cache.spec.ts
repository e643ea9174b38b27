import { randomUUID } from 'node:crypto';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { MembershipCache } from './membership-cache';

describe('MembershipCache', () => {
  let db: TestDatabase;
  let sql: Sql;
  const users = Array.from({ length: 6 }, () => randomUUID());
  const conversations = Array.from({ length: 6 }, () => randomUUID());
  // User i is a member of conversations i and i+1 (the last user of none).
  const membersOf = (i: number) => (i === users.length - 1 ? [] : [conversations[i], conversations[(i + 1) % conversations.length]]) as string[];

  beforeAll(async () => {
    db = await createTestDatabase('membership_cache');
    sql = createSql(db.url, { max: 4 });
    await sql`insert into users ${sql(users.map((id, i) => ({ id, username: `m${i}-${id.slice(0, 8)}`, display_name: 'U' })))}`;
    await sql`insert into conversations ${sql(conversations.map((id) => ({ id })))}`;
    const rows = users.flatMap((u, i) => membersOf(i).map((c) => ({ conversation_id: c, user_id: u })));
    await sql`insert into conversation_members ${sql(rows)}`;
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  /** The real connection, counting the statements the cache sends. */
  const counted = () => {
    const counter = { statements: 0 };
    const wrapped = ((...args: Parameters<Sql>) => {
      counter.statements++;
      return sql(...args);
    }) as unknown as Sql;
    return { counter, wrapped };
  };

  it('answers the lookups of different users started together with one statement, each with its own conversations', async () => {
    const { counter, wrapped } = counted();
    const cache = new MembershipCache(wrapped, 2_000);
    const answers = await Promise.all([...users, users[0] as string].map((u) => cache.conversationsOf(u)));
    expect(counter.statements).toBe(1);
    answers.forEach((ids, i) => expect([...ids].sort()).toEqual([...membersOf(i % users.length)].sort()));
    // Cached: no statement until the TTL has passed.
    expect([...(await cache.conversationsOf(users[1] as string))].sort()).toEqual([...membersOf(1)].sort());
    expect(counter.statements).toBe(1);
  });

  it('reads again after the TTL: a removed member loses the conversation', async () => {
    const { counter, wrapped } = counted();
    const cache = new MembershipCache(wrapped, 50);
    const user = users[2] as string;
    expect(await cache.conversationsOf(user)).toHaveLength(2);
    await sql`delete from conversation_members where user_id = ${user} and conversation_id = ${conversations[2] as string}`;
    await waitFor(async () => (await cache.conversationsOf(user)).length === 1, { timeoutMs: 5_000 });
    expect(await cache.conversationsOf(user)).toEqual([conversations[3]]);
    expect(counter.statements).toBeGreaterThanOrEqual(2);
  });

  it('a batch larger than maxBatch is split; a malformed id is a member of nothing and does not fail the others', async () => {
    const { counter, wrapped } = counted();
    const cache = new MembershipCache(wrapped, 0, 3_000, 50_000, 2);
    const answers = await Promise.all([users[0], 'not-a-uuid', users[1], users[3], users[4]].map((u) => cache.conversationsOf(u as string)));
    expect(answers.map((a) => a.length)).toEqual([2, 0, 2, 2, 2]);
    expect(counter.statements).toBe(2);
  });

  it('fails every waiting lookup with a BackendError when PostgreSQL is unreachable', async () => {
    const dead = createSql('postgres://nobody@127.0.0.1:1/none', { max: 1, connectTimeout: 1 });
    try {
      const cache = new MembershipCache(dead, 2_000);
      const results = await Promise.allSettled([cache.conversationsOf(users[0] as string), cache.conversationsOf(users[1] as string)]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'BackendError', backend: 'postgres' });
    } finally {
      await dead.end({ timeout: 1 });
    }
  });
});

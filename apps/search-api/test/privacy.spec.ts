import fc from 'fast-check';
import { waitFor } from '@nova/testing';
import type { RunningSearchApi } from '../src/search-api';
import { BACKENDS, Backend } from './support/backends';
import { get, startApi, SourceDb, token, type MessageRow } from './support/fixture';

const VOCAB = ['apple', 'banana', 'cherry', '苹果', '香蕉', 'サーバー'];

describe.each(BACKENDS)('privacy on %s', (backendName) => {
  let src: SourceDb;
  let backend: Backend;
  let api: RunningSearchApi;
  const users: string[] = [];
  const conversations: string[] = [];
  const members = new Map<string, Set<string>>(); // conversation -> users
  const messages: MessageRow[] = [];

  beforeAll(async () => {
    src = await SourceDb.create();
    for (let i = 0; i < 24; i++) users.push(await src.user());
    // Deterministic pseudo-random layout: 16 conversations of 1-5 members, 320 messages.
    const rnd = seededRandom(7);
    for (let c = 0; c < 16; c++) {
      const set = new Set<string>();
      const size = 1 + rnd(5);
      while (set.size < size) set.add(users[rnd(users.length)] as string);
      const id = await src.conversation([...set]);
      conversations.push(id);
      members.set(id, set);
    }
    for (let i = 0; i < 320; i++) {
      const conv = conversations[rnd(conversations.length)] as string;
      const inConv = [...(members.get(conv) as Set<string>)];
      const words = Array.from({ length: 3 + rnd(4) }, () => VOCAB[rnd(VOCAB.length)]).join(' ');
      messages.push(await src.message(conv, inConv[rnd(inConv.length)] as string, words, { created_at: new Date(Date.UTC(2026, 0, 1) + rnd(3600) * 1000) }));
    }
    backend = await Backend.start(backendName, src);
    await backend.mirror(messages, []);
    api = await startApi(src.db.url, backend.env);
  });

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await src?.close();
  });

  const byId = () => new Map(messages.map((m) => [m.id, m]));

  it('never shows a user a message of a conversation they are not in, whatever the parameters', async () => {
    const index = byId();
    let checked = 0;
    const term = fc.oneof(
      fc.constantFrom(...VOCAB),
      fc.constantFrom(...VOCAB).map((w) => `-${w}`),
      fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB)).map(([a, b]) => `${a} OR ${b}`),
      fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...VOCAB)).map(([a, b]) => `"${a} ${b}"`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...users),
        fc.array(term, { minLength: 1, maxLength: 2 }),
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom(...conversations) },
          { weight: 2, arbitrary: fc.nat() }, // one of the caller's own conversations (picked below)
        ),
        fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...users) }),
        fc.constantFrom('relevance', 'recent'),
        fc.integer({ min: 1, max: 100 }),
        async (user, terms, conversationPick, senderId, sort, limit) => {
          const own = conversations.filter((c) => members.get(c)?.has(user));
          const conversationId = typeof conversationPick === 'number' ? own[conversationPick % Math.max(own.length, 1)] : conversationPick;
          const params: Record<string, string | undefined> = { q: terms.join(' '), conversation_id: conversationId, sender_id: senderId, sort, limit: String(limit) };
          const seen = new Set<string>();
          for (let page = 0; page < 5; page++) {
            const a = await get(api, '/api/v1/search/messages', params, token(user));
            if (a.status === 400 && a.body.error?.parameter === 'q') return; // e.g. only exclusions
            expect(a.status).toBe(200);
            for (const hit of a.body.hits ?? []) {
              const row = index.get(hit.id);
              expect(row).toBeDefined();
              expect(members.get(row?.conversation_id as string)?.has(user)).toBe(true);
              expect(hit['conversation_id']).toBe(row?.conversation_id);
              expect(seen.has(hit.id)).toBe(false);
              seen.add(hit.id);
              checked++;
            }
            if (!a.body.next_cursor) return;
            params['cursor'] = a.body.next_cursor;
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(checked).toBeGreaterThan(500); // the property looked at real hits, not only empty pages
  });

  it('stops showing a conversation once the user is removed from it (membership cached at most the TTL)', async () => {
    const cached = await startApi(src.db.url, { ...backend.env, SEARCH_MEMBERSHIP_TTL_MS: '300' });
    try {
      const conv = conversations.find((c) => messages.some((m) => m.conversation_id === c && (members.get(c)?.size ?? 0) >= 2)) as string;
      const user = [...(members.get(conv) as Set<string>)][0] as string;
      const q = { q: VOCAB.join(' OR '), conversation_id: conv, limit: '5' };
      expect((await get(cached, '/api/v1/search/messages', q, token(user))).body.hits?.length).toBeGreaterThan(0);
      await src.sql`delete from conversation_members where conversation_id = ${conv} and user_id = ${user}`;
      const removedAt = Date.now();
      await waitFor(async () => (await get(cached, '/api/v1/search/messages', q, token(user))).body.hits?.length === 0, { timeoutMs: 5000 });
      expect(Date.now() - removedAt).toBeLessThan(2000);
      await src.sql`insert into conversation_members (conversation_id, user_id) values (${conv}, ${user})`;
    } finally {
      await cached.close();
    }
  });

  if (backendName === 'postgres') {
    it('reads memberships in the PostgreSQL search statement: a removed member loses access at once, whatever the TTL', async () => {
      const cached = await startApi(src.db.url, { ...backend.env, SEARCH_MEMBERSHIP_TTL_MS: '10000' });
      try {
        const conv = conversations.find((c) => messages.some((m) => m.conversation_id === c) && (members.get(c)?.size ?? 0) >= 2) as string;
        const user = [...(members.get(conv) as Set<string>)][0] as string;
        const q = { q: VOCAB.join(' OR '), limit: '100' };
        const before = await get(cached, '/api/v1/search/messages', q, token(user));
        expect(before.body.backend).toBe('postgres');
        expect(before.body.hits?.some((h) => h['conversation_id'] === conv)).toBe(true);
        await src.sql`delete from conversation_members where conversation_id = ${conv} and user_id = ${user}`;
        try {
          for (const params of [q, { ...q, conversation_id: conv }]) {
            const after = await get(cached, '/api/v1/search/messages', params, token(user));
            expect(after.status).toBe(200);
            expect(after.body.hits?.some((h) => h['conversation_id'] === conv)).toBe(false);
          }
        } finally {
          await src.sql`insert into conversation_members (conversation_id, user_id) values (${conv}, ${user})`;
        }
      } finally {
        await cached.close();
      }
    });
  }
});

/** mulberry32: a small deterministic PRNG, so every run builds the same layout. */
function seededRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

import type { Sql } from '@nova/postgres';

/** Small deterministic PRNG (mulberry32) so every `npm start` loads the same demo data. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

export const DEMO_USERS = ['alice', 'bob', 'chen', 'dana', 'emil', 'fang', 'gita', 'hiro'].map((name, i) => ({
  id: uuid(1, i + 1),
  username: name,
  display_name: name[0].toUpperCase() + name.slice(1),
}));

const ENGLISH = [
  'the release is scheduled for friday afternoon',
  'can you review the search indexing pipeline',
  'kafka consumer lag looks healthy today',
  'elasticsearch refresh interval is one second',
  'lunch at the noodle place near the office',
  'the postgres replication slot is advancing',
  'please share the quarterly roadmap draft',
  'weekend hiking trip to the mountains',
  'new coffee machine in the kitchen works great',
  'meeting moved to tuesday morning',
];
const CHINESE = [
  '今天的天气非常好',
  '我们明天去北京开会',
  '搜索服务的延迟很低',
  '周末一起去爬山吧',
  '数据库复制槽正在前进',
  '这个版本下周五发布',
  '请帮我看一下索引管道',
  '办公室附近的面馆很好吃',
];

export interface DemoDataSummary {
  users: number;
  conversations: number;
  messages: number;
  posts: number;
}

/** Loads users, conversations, members, messages and posts in English and Chinese, once (no-op if users exist). */
export async function loadDemoData(sql: Sql, counts = { messages: 3000, posts: 1000 }): Promise<DemoDataSummary | undefined> {
  const [{ n }] = await sql<{ n: bigint }[]>`select count(*)::bigint as n from users`;
  if (n > 0n) return undefined;
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const sentence = () => (rand() < 0.35 ? `${pick(CHINESE)}，${pick(CHINESE)}` : `${pick(ENGLISH)} and ${pick(ENGLISH)}`);

  const conversations = Array.from({ length: 6 }, (_, i) => ({ id: uuid(2, i + 1), title: `Conversation ${i + 1}` }));
  // Every conversation has 3 members; alice is in the first three, so the demo token sees some but not all.
  const members = conversations.flatMap((c, i) => [0, 1, 2].map((k) => ({ conversation_id: c.id, user_id: DEMO_USERS[(i + k * 3) % DEMO_USERS.length].id })));
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const messages = Array.from({ length: counts.messages }, (_, i) => {
    const c = pick(conversations);
    const senders = members.filter((m) => m.conversation_id === c.id);
    return {
      id: uuid(3, i + 1),
      conversation_id: c.id,
      sender_id: pick(senders).user_id,
      content: sentence(),
      created_at: new Date(start + i * 60_000),
    };
  });
  const posts = Array.from({ length: counts.posts }, (_, i) => ({
    id: uuid(4, i + 1),
    author_id: pick(DEMO_USERS).id,
    title: sentence().slice(0, 40),
    content: sentence(),
    visibility: rand() < 0.8 ? 'public' : pick(['followers', 'private']),
    created_at: new Date(start + i * 120_000),
  }));

  await sql.begin(async (tx) => {
    await tx`insert into users ${tx(DEMO_USERS)}`;
    await tx`insert into conversations ${tx(conversations)}`;
    await tx`insert into conversation_members ${tx(members)}`;
    for (let i = 0; i < messages.length; i += 1000) await tx`insert into messages ${tx(messages.slice(i, i + 1000))}`;
    for (let i = 0; i < posts.length; i += 1000) await tx`insert into posts ${tx(posts.slice(i, i + 1000))}`;
  });
  return { users: DEMO_USERS.length, conversations: conversations.length, messages: messages.length, posts: posts.length };
}

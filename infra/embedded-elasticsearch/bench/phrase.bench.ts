/**
 * `npx tsx infra/embedded-elasticsearch/bench/phrase.bench.ts [--docs 200000] [--queries 100]`
 *
 * In-process query CPU of phrase searches in the search-api's shape (its bench's data: Zipf words from a 5,000-word
 * vocabulary, a Chinese sentence in one message of ten, 4,000 conversations): `bool { must: multi_match phrase on
 * content.cjk (Chinese terms) or content (quoted words), filter: terms conversation_id (a user's ~7 conversations),
 * must_not: tombstones }`, sorted by _score then id; also unfiltered `match_phrase` (relevance order, size 20).
 * Led/pruned (the server's path) against exhaustive scoring. Measures CPU time (process.cpuUsage). Last line: JSON.
 */
import { randomUUID } from 'node:crypto';
import { MESSAGE_MAPPINGS } from '@nova/search-index';
import { numberArg, zipfWords } from '@nova/testing';
import { IndexStore } from '../src/index/index-store';
import { measureQueryCpu } from './query-cpu';

const DOCS = numberArg('docs', 200_000);
const QUERIES = numberArg('queries', 100);

let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
const word = zipfWords({ syllables: ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'do', 'fa', 'gi', 'ha', 'ju', 'ko', 'pe'], size: 5_000, firstIndex: 20, rand });
const ZH = ['我们明天去北京开会', '搜索引擎的性能很好', '数据库备份已经完成', '请查看最新的发布说明', '东京的天气很好'];
const ZH_QUERIES = ['北京', '数据库', '最新的发布', '天气很好'];
const text = () => Array.from({ length: 8 + Math.floor(rand() * 20) }, word).join(' ') + (rand() < 0.1 ? ` ${pick(ZH)}` : '');

const conversations = Array.from({ length: 4000 }, () => randomUUID());
const store = new IndexStore('bench_phrase_v1', { settings: { refresh_interval: '-1' }, mappings: MESSAGE_MAPPINGS });
for (let i = 0; i < DOCS; i++) {
  const id = randomUUID();
  store.write({
    opType: 'index', id,
    source: {
      id, conversation_id: pick(conversations), sender_id: 'u', content: text(),
      created_at: new Date(1_767_225_600_000 + i * 1000).toISOString(), edited_at: null, deleted: false, deleted_at: null,
    },
  });
  if (i % 50_000 === 49_999) store.refresh();
}
store.refresh();


const userConversations = () => Array.from({ length: 7 }, () => pick(conversations));
const apiQuery = (must: Record<string, unknown>) => ({
  size: 21, track_total_hits: false, _source: ['conversation_id', 'sender_id', 'content', 'created_at', 'edited_at'],
  query: { bool: {
    must: [must],
    filter: [{ terms: { conversation_id: userConversations() } }],
    must_not: [{ term: { deleted: true } }, { exists: { field: 'deleted_at' } }],
  } },
  sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
});
const phrase = (q: string, field: string) => ({ multi_match: { query: q, type: 'phrase', fields: [`${field}^1`] } });
const shapes: Record<string, Array<Record<string, unknown>>> = {
  api_cjk_phrase: Array.from({ length: QUERIES }, (_, i) => apiQuery(phrase(ZH_QUERIES[i % ZH_QUERIES.length], 'content.cjk'))),
  api_cjk_shujuku: Array.from({ length: QUERIES }, () => apiQuery(phrase('数据库', 'content.cjk'))),
  api_word_phrase: Array.from({ length: QUERIES }, () => apiQuery(phrase(`${word()} ${word()}`, 'content'))),
  match_phrase_cjk: Array.from({ length: QUERIES }, (_, i) => ({ query: { match_phrase: { 'content.cjk': ZH_QUERIES[i % ZH_QUERIES.length] } }, size: 20 })),
};
const result: Record<string, unknown> = { docs: DOCS, queries: QUERIES };
for (const [name, bodies] of Object.entries(shapes)) {
  measureQueryCpu(store, bodies.slice(0, 10), false); // warm-up
  result[name] = { led: measureQueryCpu(store, bodies, false), exhaustive: measureQueryCpu(store, bodies, true) };
  process.stderr.write(`${name}: ${JSON.stringify(result[name])}\n`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
store.close();

/**
 * `npx tsx infra/embedded-elasticsearch/bench/query.bench.ts [--docs 300000] [--queries 200]`
 *
 * In-process query CPU per search shape, pruned/led (the server's path) against exhaustive scoring (every match
 * scored): the bench:es two-word `match` (size 20, default track_total_hits), and the search-api's message query
 * (multi_match on `content`, filter to 7 conversations, must_not tombstones, sorted by _score then id, or by
 * created_at). Measures CPU time (process.cpuUsage), so other load on the machine matters little. Last line: JSON.
 */
import { randomUUID } from 'node:crypto';
import { MESSAGE_MAPPINGS } from '@nova/search-index';
import { numberArg } from '@nova/testing';
import { IndexStore } from '../src/index/index-store';
import { cpuMs, measureQueryCpu } from './query-cpu';
import { text, word } from './corpus';

const DOCS = numberArg('docs', 300_000);
const QUERIES = numberArg('queries', 200);

const conversations = Array.from({ length: 4000 }, () => randomUUID());
// Conversations are drawn with their own generator: drawn with the text's (an LCG whose successive draws are
// correlated) a few conversations got ~10,000 documents and most none. Ids go through JSON as the server's do (a
// string from randomUUID() is a concatenation V8 compares far more slowly than a parsed one).
let conversationSeed = 7;
const pickConversation = () => conversations[Math.floor(((conversationSeed = (Math.imul(conversationSeed, 1103515245) + 12345) >>> 0) / 2 ** 32) * conversations.length)];
const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
const store = new IndexStore('bench_messages_v1', { settings: { refresh_interval: '-1' }, mappings: MESSAGE_MAPPINGS });
const cpu0 = process.cpuUsage();
for (let i = 0; i < DOCS; i++) {
  const id = flat(randomUUID());
  store.write({
    opType: 'index', id, version: 1000 + i, versionType: 'external_gte',
    source: {
      id, conversation_id: pickConversation(), sender_id: 'u', content: text(300),
      created_at: new Date(1_767_225_600_000 + i * 1000).toISOString(), edited_at: null, deleted: false, deleted_at: null,
    },
  });
  if (i % 50_000 === 49_999) store.refresh();
}
store.refresh();
process.stdout.write(`indexed ${DOCS} docs in-process: ${(cpuMs(process.cpuUsage(cpu0)) * 1000 / DOCS).toFixed(1)} µs CPU/doc\n`);


const pickConversations = () => Array.from({ length: 7 }, pickConversation);
const shapes: Record<string, Array<Record<string, unknown>>> = {
  match_two_words: Array.from({ length: QUERIES }, () => ({ query: { match: { content: `${word()} ${word()}` } }, size: 20 })),
  search_api_relevance: Array.from({ length: QUERIES }, () => ({
    size: 21, track_total_hits: false, _source: ['conversation_id', 'sender_id', 'content', 'created_at', 'edited_at'],
    query: { bool: {
      must: [{ multi_match: { query: word(), type: 'best_fields', fields: ['content^1'] } }],
      filter: [{ terms: { conversation_id: pickConversations() } }],
      must_not: [{ term: { deleted: true } }, { exists: { field: 'deleted_at' } }],
    } },
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
  })),
  search_api_recent: Array.from({ length: QUERIES }, () => ({
    size: 21, track_total_hits: false,
    query: { bool: {
      must: [{ multi_match: { query: word(), type: 'best_fields', fields: ['content^1'] } }],
      filter: [{ terms: { conversation_id: pickConversations() } }],
      must_not: [{ term: { deleted: true } }, { exists: { field: 'deleted_at' } }],
    } },
    sort: [{ created_at: { order: 'desc' } }, { id: { order: 'desc' } }],
  })),
};
const result: Record<string, unknown> = { docs: DOCS, queries: QUERIES };
for (const [name, bodies] of Object.entries(shapes)) {
  measureQueryCpu(store, bodies.slice(0, 20), false); // warm-up
  result[name] = { pruned: measureQueryCpu(store, bodies, false), exhaustive: measureQueryCpu(store, bodies, true) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
store.close();

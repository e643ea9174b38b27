import type { Change } from '@nova/events';
import { createSilentLogger } from '@nova/logger';
import { toBulkOperation, type BulkOperation } from '../src/sink/bulk-operation';
import { createElasticsearchClient, ElasticsearchSink, ElasticsearchUnavailableError } from '../src/sink/elasticsearch-sink';
import { ensureIndices } from '../src/sink/index-bootstrap';
import { readAllDocs } from './support/es-helpers';
import { prng, uuid } from './support/event-story';
import { esFaults, startStack, type Stack } from './support/stack';
import { uniqueNames } from './support/worker-harness';

describe('indexer-worker: writes handed to the sink in one turn share bulk requests', () => {
  let stack: Stack;
  const random = prng(8);

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A sink on the embedded search server, counting the `_bulk` requests its client sends. */
  async function setUp(limits?: { maxDocs: number; maxBytes: number }) {
    const names = uniqueNames('coalesce');
    const client = createElasticsearchClient({ url: stack.esUrl, requestTimeoutMs: 10_000 });
    await ensureIndices(client, { aliases: names.aliases, refreshInterval: '1s' }, createSilentLogger());
    const bulkItems: number[] = [];
    client.diagnostic.on('request', (_err, event) => {
      const params = event?.meta.request.params;
      if (params?.path.endsWith('/_bulk')) bulkItems.push(String(params.body).split('\n').filter(Boolean).length / 2);
    });
    const durations: number[] = [];
    return { names, client, sink: new ElasticsearchSink(client, limits, (seconds) => durations.push(seconds)), bulkItems, durations };
  }

  function upsert(aliases: { message: string; post: string }, id: string, version: bigint, content: string): BulkOperation {
    const fields = { message_id: id, conversation_id: uuid(random), sender_id: uuid(random), content, created_at: null, edited_at: null };
    const change: Change = { entity: 'message', id, operation: 'upsert', version, fields, committedAt: null, origin: { format: 'nova', topic: 't' } };
    return toBulkOperation(change, aliases);
  }

  it('sends three partitions’ writes as one request and gives each write exactly its own results', async () => {
    const { names, client, sink, bulkItems, durations } = await setUp();
    try {
      const ids = Array.from({ length: 6 }, () => uuid(random));
      // A newer version of ids[4] is already there: its item in the second write answers 409.
      expect(await sink.write([upsert(names.aliases, ids[4], 0x900n, 'newer')])).toEqual([{ status: 201, error: null }]);
      bulkItems.length = 0;
      durations.length = 0;
      const [a, b, c] = await Promise.all([
        sink.write([upsert(names.aliases, ids[0], 0x100n, 'a0'), upsert(names.aliases, ids[1], 0x100n, 'a1')]),
        sink.write([upsert(names.aliases, ids[2], 0x100n, 'b0'), upsert(names.aliases, ids[3], 0x100n, 'b1'), upsert(names.aliases, ids[4], 0x100n, 'older')]),
        sink.write([upsert(names.aliases, ids[5], 0x100n, 'c0')]),
      ]);
      expect(bulkItems).toEqual([6]);
      // The bulk duration metric counts requests: one observation for the three writes.
      expect(durations).toHaveLength(1);
      expect(a.map((r) => r.status)).toEqual([201, 201]);
      expect(b.map((r) => r.status)).toEqual([201, 201, 409]);
      expect(c.map((r) => r.status)).toEqual([201]);
      const docs = await readAllDocs(stack.esUrl, names.aliases.message);
      expect(ids.map((id) => docs.get(id)?.['content'])).toEqual(['a0', 'a1', 'b0', 'b1', 'newer', 'c0']);
    } finally {
      await client.close();
    }
  });

  it('keeps each request within the document limit and never splits a write', async () => {
    const { names, client, sink, bulkItems } = await setUp({ maxDocs: 4, maxBytes: 5 * 1024 * 1024 });
    try {
      const write = (n: number) => sink.write(Array.from({ length: n }, (_, i) => upsert(names.aliases, uuid(random), 0x200n, `doc ${i}`)));
      const results = await Promise.all([write(2), write(2), write(3), write(5), write(1)]);
      expect(results.map((r) => r.length)).toEqual([2, 2, 3, 5, 1]);
      // Greedy in arrival order: 2+2 | 3 | 5 (alone, larger than the limit) | 1.
      expect(bulkItems).toEqual([4, 3, 5, 1]);
    } finally {
      await client.close();
    }
  });

  it('a request that fails fails every write in it; the next turn’s writes are sent again on their own', async () => {
    const { names, client, sink, bulkItems, durations } = await setUp();
    try {
      esFaults(stack).unavailableFor(60_000);
      const failed = await Promise.allSettled([
        sink.write([upsert(names.aliases, uuid(random), 0x300n, 'x')]),
        sink.write([upsert(names.aliases, uuid(random), 0x300n, 'y')]),
      ]);
      expect(failed.map((r) => r.status === 'rejected' && r.reason instanceof ElasticsearchUnavailableError)).toEqual([true, true]);
      expect(bulkItems).toEqual([2]);
      expect(durations).toHaveLength(1); // a failed request is timed too
      esFaults(stack).reset();
      expect(await sink.write([upsert(names.aliases, uuid(random), 0x300n, 'z')])).toEqual([{ status: 201, error: null }]);
      expect(bulkItems).toEqual([2, 1]);
    } finally {
      esFaults(stack).reset();
      await client.close();
    }
  });
});

import { createLogger } from '@nova/logger';
import { createMetricsRegistry } from '@nova/runtime';
import winston from 'winston';
import { Writable } from 'node:stream';
import { DeadLetterPublisher } from '../src/dead-letter/dead-letter-publisher';
import { createIndexerMetrics } from '../src/metrics/indexer-metrics';
import { PartitionProcessor, type BatchControl } from '../src/pipeline/partition-processor';
import type { BulkOperation } from '../src/sink/bulk-operation';
import { createElasticsearchClient, ElasticsearchSink, ElasticsearchUnavailableError } from '../src/sink/elasticsearch-sink';
import { ensureIndices } from '../src/sink/index-bootstrap';
import type { SourceRecord } from '../src/source/source-record';
import { readAllDocs } from './support/es-helpers';
import { novaEvent, prng, uuid } from './support/event-story';
import { testKafka } from './support/kafka-helpers';
import { esFaults, startStack, type Stack } from './support/stack';
import { uniqueNames } from './support/worker-harness';

/** The real sink, noting when each bulk starts and ends (the path under test is unchanged). */
class TimedSink extends ElasticsearchSink {
  readonly timeline: string[] = [];
  override async write(operations: readonly BulkOperation[]) {
    this.timeline.push(`send ${operations.length}`);
    try {
      return await super.write(operations);
    } finally {
      this.timeline.push('done');
    }
  }
}

/** The real processor, noting each record it prepares, on the same timeline. */
class TimedProcessor extends PartitionProcessor {
  constructor(
    options: ConstructorParameters<typeof PartitionProcessor>[0],
    private readonly timeline: string[],
  ) {
    super(options);
  }
  override prepare(record: SourceRecord, now?: Date) {
    this.timeline.push(`prepare ${record.offset}`);
    return super.prepare(record, now);
  }
}

describe('indexer-worker: the next chunk is prepared while a bulk is in flight', () => {
  let stack: Stack;
  const quiet = createLogger({ service: 'indexer-worker', level: 'error', transports: [new winston.transports.Stream({ stream: new Writable({ write: (_c, _e, cb) => cb() }) })] });

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function setUp(records: number) {
    const names = uniqueNames('pipeline');
    const es = createElasticsearchClient({ url: stack.esUrl, requestTimeoutMs: 10_000 });
    await ensureIndices(es, { aliases: names.aliases, refreshInterval: '1s' }, quiet);
    const sink = new TimedSink(es);
    const random = prng(records);
    const batch: SourceRecord[] = Array.from({ length: records }, (_, i) => {
      const r = novaEvent(names.topics, 'message', 'upsert', { id: uuid(random), parent: uuid(random), user: uuid(random) }, 0x7_0000_0000n + BigInt(i) * 64n, `text ${i}`);
      return { topic: r.topic, partition: 0, offset: String(1_000 + i), key: r.key === null ? null : Buffer.from(r.key), value: Buffer.from(r.value as string), headers: {}, timestamp: String(Date.now()) };
    });
    const processor = new TimedProcessor(
      {
        normalize: { topics: names.topics },
        aliases: names.aliases,
        limits: { maxDocs: 100, maxBytes: 5 * 1024 * 1024 },
        retry: { initialMs: 10, maxMs: 50, maxAttempts: 2 },
        sink,
        // Never used here: every record is valid and every item is accepted.
        deadLetters: new DeadLetterPublisher(testKafka(stack.brokers).producer(), { topicSuffix: '.dlq' }),
        metrics: createIndexerMetrics(createMetricsRegistry('indexer-worker')),
        logger: quiet,
      },
      sink.timeline,
    );
    const commits: string[] = [];
    const control = (onCommit: (offset: string) => void = () => undefined): BatchControl => ({
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
      commit: async (offset) => {
        commits.push(offset);
        sink.timeline.push(`commit ${offset}`);
        onCommit(offset);
      },
    });
    return { names, es, sink, batch, processor, commits, control };
  }

  it('prepares chunk k+1 while chunk k is written, sends it only after chunk k finished, commits each chunk in order', async () => {
    esFaults(stack).setLatency(20);
    const { names, es, sink, batch, processor, commits, control } = await setUp(500);
    try {
      expect(await processor.process(batch, control())).toEqual({ kind: 'completed' });
    } finally {
      esFaults(stack).reset();
      await es.close();
    }
    expect(commits).toEqual(['1099', '1199', '1299', '1399', '1499']);
    const t = sink.timeline;
    // At most one bulk in flight, each followed by its commit (asked for) before the next is sent.
    expect(t.filter((e) => !e.startsWith('prepare'))).toEqual(['1099', '1199', '1299', '1399', '1499'].flatMap((c) => ['send 100', 'done', `commit ${c}`]));
    // Chunk k+1's records were prepared after chunk k was sent and before it finished; none before chunk k was sent.
    for (let k = 0; k < 4; k++) {
      const sent = t.indexOf('send 100', k === 0 ? 0 : t.indexOf(`commit ${1_099 + 100 * (k - 1)}`));
      const done = t.indexOf('done', sent);
      const first = t.indexOf(`prepare ${1_000 + 100 * (k + 1)}`);
      const last = t.indexOf(`prepare ${1_099 + 100 * (k + 1)}`);
      expect({ k, preparedWhileInFlight: sent < first && last < done }).toEqual({ k, preparedWhileInFlight: true });
    }
    expect((await readAllDocs(stack.esUrl, names.aliases.message)).size).toBe(500);
  });

  it("chunk k+1's bulk does not wait for chunk k's commit; commits stay in order, the batch ends committed", async () => {
    const { names, es, sink, batch, processor } = await setUp(300);
    const t = sink.timeline;
    // A slow broker: each commit is answered 150 ms after it was asked for, far longer than a bulk takes here.
    const control: BatchControl = {
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
      commit: async (offset) => {
        t.push(`commit ${offset}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        t.push(`committed ${offset}`);
      },
    };
    try {
      expect(await processor.process(batch, control)).toEqual({ kind: 'completed' });
    } finally {
      await es.close();
    }
    expect(t.filter((e) => !e.startsWith('prepare'))).toEqual([
      'send 100', 'done', 'commit 1099',
      'send 100', 'done', 'committed 1099', 'commit 1199',
      'send 100', 'done', 'committed 1199', 'commit 1299',
      // process() resolved only after this one.
      'committed 1299',
    ]);
    expect((await readAllDocs(stack.esUrl, names.aliases.message)).size).toBe(300);
  });

  it('a failed commit fails the batch after the bulk in flight, and nothing after it is committed', async () => {
    const { es, sink, batch, processor } = await setUp(300);
    const commits: string[] = [];
    const control: BatchControl = {
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
      commit: async (offset) => {
        commits.push(offset);
        if (offset === '1099') throw Object.assign(new Error('The coordinator is loading'), { type: 'COORDINATOR_LOAD_IN_PROGRESS' });
      },
    };
    try {
      await expect(processor.process(batch, control)).rejects.toThrow('The coordinator is loading');
    } finally {
      await es.close();
    }
    expect(commits).toEqual(['1099']);
    // Chunk 2 was on its way when the commit failed; it finished (written again, idempotently, after redelivery), chunk 3 never went.
    expect(sink.timeline.filter((e) => e.startsWith('send'))).toHaveLength(2);
    expect(sink.timeline.at(-1)).toBe('done');
  });

  it('a failure in chunk k while chunk k+1 is prepared: nothing past the failure is committed, chunk k+1 is never sent', async () => {
    const { names, es, sink, batch, processor, commits, control } = await setUp(500);
    let outcome;
    try {
      // Elasticsearch goes down as chunk 3 is committed, while chunk 4 is already prepared.
      outcome = await processor.process(batch, control((offset) => offset === '1299' && esFaults(stack).unavailableFor(60_000)));
    } finally {
      esFaults(stack).reset();
      await es.close();
    }
    expect(outcome).toMatchObject({ kind: 'blocked', error: expect.any(ElasticsearchUnavailableError) });
    expect(commits).toEqual(['1099', '1199', '1299']);
    // Chunk 4 failed; chunk 5 was prepared meanwhile (the look-ahead, one chunk) and dropped, never sent.
    expect(sink.timeline.filter((e) => e.startsWith('send'))).toHaveLength(4);
    expect(sink.timeline.at(-1)).toBe('done');
    expect(sink.timeline).toContain('prepare 1499');
    const docs = await readAllDocs(stack.esUrl, names.aliases.message);
    expect(docs.size).toBe(300);
  });

  it('per document: indexed counted by entity, operation and result; commit-to-indexed observed only for streamed events with a commit time', async () => {
    const names = uniqueNames('permetric');
    const es = createElasticsearchClient({ url: stack.esUrl, requestTimeoutMs: 10_000 });
    await ensureIndices(es, { aliases: names.aliases, refreshInterval: '1s' }, quiet);
    const registry = createMetricsRegistry('indexer-worker');
    const random = prng(7);
    const ids = () => ({ id: uuid(random), parent: uuid(random), user: uuid(random) });
    const again = ids();
    const snapshot = novaEvent(names.topics, 'message', 'upsert', ids(), 0x8_0000_0000n, 'read by the snapshot');
    const snapshotValue = JSON.parse(snapshot.value as string) as { source: { snapshot: boolean } };
    snapshotValue.source.snapshot = true;
    const legacy = ids();
    const out = [
      novaEvent(names.topics, 'message', 'upsert', again, 0x8_0000_1000n, 'newer'),
      novaEvent(names.topics, 'message', 'upsert', ids(), 0x8_0000_1040n, 'streamed'),
      { ...snapshot, value: JSON.stringify(snapshotValue) },
      {
        topic: names.topics.messagePersisted,
        key: legacy.id,
        value: JSON.stringify({ message_id: legacy.id, conversation_id: legacy.parent, sender_id: legacy.user, content: 'flat, no commit time' }),
      },
      novaEvent(names.topics, 'post', 'delete', ids(), 0x8_0000_1080n, 'gone'),
      // Older than the first record's write of the same message: Elasticsearch answers 409, a success ("stale").
      novaEvent(names.topics, 'message', 'upsert', again, 0x8_0000_0f00n, 'older'),
    ];
    const batch: SourceRecord[] = out.map((r, i) => ({
      topic: r.topic,
      partition: 0,
      offset: String(i),
      key: r.key === null ? null : Buffer.from(r.key as string),
      value: Buffer.from(r.value as string),
      headers: {},
      timestamp: String(Date.now()),
    }));
    const processor = new PartitionProcessor({
      normalize: { topics: names.topics },
      aliases: names.aliases,
      limits: { maxDocs: 100, maxBytes: 5 * 1024 * 1024 },
      retry: { initialMs: 10, maxMs: 50, maxAttempts: 2 },
      sink: new ElasticsearchSink(es),
      // Never used here: every record is valid and every item succeeds.
      deadLetters: new DeadLetterPublisher(testKafka(stack.brokers).producer(), { topicSuffix: '.dlq' }),
      metrics: createIndexerMetrics(registry),
      logger: quiet,
    });
    const control: BatchControl = { isRunning: () => true, isStale: () => false, heartbeat: async () => undefined, commit: async () => undefined };
    try {
      expect(await processor.process(batch, control)).toEqual({ kind: 'completed' });
    } finally {
      await es.close();
    }
    const indexed = await registry.getSingleMetric('nova_indexer_records_indexed_total')!.get();
    const tally = Object.fromEntries(indexed.values.map((v) => [`${v.labels['entity']}/${v.labels['operation']}/${v.labels['result']}`, v.value]));
    expect(tally).toEqual({ 'message/upsert/written': 4, 'message/upsert/stale': 1, 'post/delete/written': 1 });
    const latency = await registry.getSingleMetric('nova_indexer_commit_to_indexed_seconds')!.get();
    // Streamed events with a commit time: the two message upserts, the post delete and the stale one; not the snapshot
    // read nor the flat payload.
    expect(latency.values.find((v) => (v as { metricName?: string }).metricName === 'nova_indexer_commit_to_indexed_seconds_count')?.value).toBe(4);
    const docs = await readAllDocs(stack.esUrl, names.aliases.message);
    expect(docs.size).toBe(4);
  });
});

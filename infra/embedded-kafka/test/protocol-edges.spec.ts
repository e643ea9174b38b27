import { encodeBatch } from '../src/codec/record-batch';
import { startEmbeddedKafka, type EmbeddedKafka } from '../src';
import { RawClient } from './support/raw-client';

/** Wire-level behaviour of the embedded broker that kafkajs does not exercise. */
describe('embedded broker: protocol edges', () => {
  let kafka: EmbeddedKafka;
  const clients: RawClient[] = [];
  const client = async () => {
    const c = await RawClient.connect(kafka.brokers[0] ?? '');
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    kafka = await startEmbeddedKafka();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await kafka?.stop();
  });

  it('answers a too-new ApiVersions request with UNSUPPORTED_VERSION in the v0 format, listing what it supports', async () => {
    const c = await client();
    c.send(18, 3, 41);
    await c.waitFrames(1);
    const { correlationId, body } = c.frames[0] ?? { correlationId: -1, body: null };
    expect(correlationId).toBe(41);
    expect(body?.int16()).toBe(35);
    const apis = body?.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    expect(body?.remaining()).toBe(0); // v0: no throttle_time_ms
    expect(apis).toEqual(expect.arrayContaining([{ key: 18, min: 0, max: 2 }, { key: 0, min: 3, max: 7 }, { key: 1, min: 4, max: 11 }]));
  });

  it('advertises exactly the implemented APIs and versions', async () => {
    const c = await client();
    c.send(18, 2, 1);
    await c.waitFrames(1);
    const body = c.frames[0]?.body;
    expect(body?.int16()).toBe(0);
    const apis = body?.array((r) => [r.int16(), r.int16(), r.int16()]);
    expect(apis).toEqual([
      [0, 3, 7], // Produce
      [1, 4, 11], // Fetch
      [2, 1, 3], // ListOffsets
      [3, 0, 6], // Metadata
      [8, 2, 5], // OffsetCommit
      [9, 1, 4], // OffsetFetch
      [10, 0, 2], // FindCoordinator
      [11, 0, 5], // JoinGroup
      [12, 0, 3], // Heartbeat
      [13, 0, 3], // LeaveGroup
      [14, 0, 3], // SyncGroup
      [15, 0, 2], // DescribeGroups
      [16, 0, 2], // ListGroups
      [18, 0, 2], // ApiVersions
      [19, 0, 3], // CreateTopics
      [20, 0, 1], // DeleteTopics
      [22, 0, 1], // InitProducerId
      [32, 0, 2], // DescribeConfigs
      [37, 0, 1], // CreatePartitions
      [42, 0, 1], // DeleteGroups
    ]);
  });

  it('sends no reply to acks=0 and keeps replies in request order', async () => {
    const c = await client();
    const produce = (acks: number) => (w: import('../src/codec/writer').Writer) => {
      w.nullableString(null).int16(acks).int32(1000);
      w.array(['edge-acks0'], (x, t) => x.string(t).array([0], (y, p) => y.int32(p).bytes(encodeBatch({ records: [{ value: Buffer.from('v') }] }))));
    };
    const metadata = (w: import('../src/codec/writer').Writer) => w.array(['edge-acks0'], (x, t) => x.string(t));
    c.send(3, 1, 99, metadata); // auto-creates the topic (Kafka auto-creates on Metadata, never on Produce)
    c.send(0, 7, 100, produce(0));
    c.send(0, 7, 101, produce(1));
    c.send(3, 1, 102, metadata);
    await c.waitFrames(3);
    expect(c.frames.map((f) => f.correlationId)).toEqual([99, 101, 102]);
    const body = c.frames[1]?.body;
    body?.int32(); // topics count
    body?.string();
    body?.int32(); // partitions count
    expect([body?.int32(), body?.int16(), body?.int64()]).toEqual([0, 0, 1]); // second record: offset 1
  });

  it('closes the connection on an API version it does not implement (as Kafka does)', async () => {
    const c = await client();
    c.send(0, 2, 7, () => undefined); // Produce v2 (magic 0/1 era) is not implemented
    await c.closed();
    expect(c.frames).toHaveLength(0);
  });
});

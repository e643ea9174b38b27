import { BrokerState } from '../broker-state';
import { decodeRecords, encodeBatch } from '../codec/record-batch';
import { Reader } from '../codec/reader';
import { Writer } from '../codec/writer';
import { DEFAULT_GROUP_TIMINGS } from '../group/group-coordinator';
import { silentLogger } from '../logger';
import { produceApi } from './produce';

const batch = (value: string, baseSequence: number) =>
  encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from(value) }], producerId: 7, producerEpoch: 0, baseSequence });

/** A Produce v7 request body (after the request header), as the connection hands it over. */
function produceBody(batches: Buffer[]): Buffer {
  const w = new Writer();
  w.nullableString(null).int16(-1).int32(30_000);
  w.array(['t'], (x, name) => x.string(name).array(batches, (y, b) => y.int32(batches.indexOf(b)).nullableBytes(b)));
  return Buffer.from(w.toBuffer());
}

/** The body in a buffer of its own, as FrameSplitter assembles a frame spread over several socket chunks. */
function ownFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafeSlow(body.length);
  body.copy(frame);
  return frame;
}

async function produce(broker: BrokerState, frame: Buffer) {
  const res = await produceApi.handle(broker, produceApi.decode(new Reader(frame), 7), { apiKey: 0, version: 7, correlationId: 1, clientId: null, clientHost: '', connectionId: 1 });
  return res?.topics[0]?.partitions.map((p) => [p.errorCode, p.baseOffset]);
}

describe('Produce: what the log keeps of a request buffer', () => {
  let broker: BrokerState;
  beforeEach(() => {
    broker = new BrokerState({ nodeId: 1, clusterId: 'c', autoCreateTopics: false, defaultPartitions: 2, group: DEFAULT_GROUP_TIMINGS, logger: silentLogger });
    broker.store.create('t', 2);
  });
  const stored = (partition: number) => broker.store.partition('t', partition)?.batches.at(-1)?.bytes ?? Buffer.alloc(0);

  it('keeps views of a request buffer of its own when every batch in it is stored (no copy)', async () => {
    const frame = ownFrame(produceBody([batch('a', 0), batch('b', 0)]));
    expect(await produce(broker, frame)).toEqual([[0, 0], [0, 0]]);
    expect(stored(0).buffer).toBe(frame.buffer);
    expect(stored(1).buffer).toBe(frame.buffer);
    expect(decodeRecords(stored(1)).map((r) => r.value?.toString())).toEqual(['b']);
  });

  it('copies the stored batches when a sibling batch is not stored (a duplicate), so the log pins nothing it does not hold', async () => {
    await produce(broker, ownFrame(produceBody([batch('a', 0), batch('b', 0)])));
    const frame = ownFrame(produceBody([batch('a', 0), batch('c', 1)])); // partition 0: a retry of sequence 0
    expect(await produce(broker, frame)).toEqual([[0, 0], [0, 1]]);
    expect(broker.store.partition('t', 0)?.batches).toHaveLength(1);
    expect(stored(1).buffer).not.toBe(frame.buffer);
    frame.fill(0); // the request buffer is free to go: the log does not depend on it
    expect(decodeRecords(stored(1)).map((r) => [r.offset, r.value?.toString()])).toEqual([[1, 'c']]);
  });

  it('copies batches out of a buffer it shares with other bytes (a view of a socket chunk)', async () => {
    const body = produceBody([batch('a', 0), batch('b', 0)]);
    const chunk = Buffer.concat([Buffer.alloc(100), body, Buffer.alloc(100)]);
    const frame = chunk.subarray(100, 100 + body.length);
    expect(await produce(broker, frame)).toEqual([[0, 0], [0, 0]]);
    chunk.fill(0); // the socket chunk is not the log's: the stored batches are copies
    expect([0, 1].map((p) => decodeRecords(stored(p)).map((r) => r.value?.toString()))).toEqual([['a'], ['b']]);
  });
});

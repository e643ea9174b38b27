import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { JavaCompatiblePartitioner, murmur2 } from './partitioner';

const metadata = (n: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

describe('JavaCompatiblePartitioner', () => {
  it('places every key on the partition kafkajs DefaultPartitioner (the Java client) picks', () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.uuid(), fc.uint8Array({ maxLength: 67 }).map((a) => Buffer.from(a))),
        fc.integer({ min: 1, max: 64 }),
        (key, partitions) => {
          const args = { topic: 't', partitionMetadata: metadata(partitions), message: { key, value: null } };
          expect(ours(args)).toBe(theirs(args));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('matches the murmur2 values of the Java client', () => {
    // Kafka's UtilsTest: Utils.murmur2 of these keys' UTF-8 bytes.
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2(Buffer.from([98, 99, 100]))).toBe(murmur2('bcd'));
  });

  it('keeps an explicit partition and spreads keyless records over partitions with a leader only', () => {
    const partition = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [1]);
    expect(partition({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 3 } })).toBe(3);
    const seen = new Set(Array.from({ length: 30 }, () => partition({ topic: 't', partitionMetadata, message: { value: 'v' } })));
    expect([...seen].sort()).toEqual([0, 2, 3]);
  });
});

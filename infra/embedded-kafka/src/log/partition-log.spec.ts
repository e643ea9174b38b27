import { encodeBatch, readBatchHeader, validateBatch } from '../codec/record-batch';
import { PartitionLog } from './partition-log';

const batch = (values: string[], timestamp: number) => encodeBatch({ records: values.map((v, i) => ({ value: Buffer.from(v), timestamp: timestamp + i })) });

describe('PartitionLog', () => {
  it('assigns offsets, reads whole batches from the one holding an offset, and finds offsets by timestamp', () => {
    const log = new PartitionLog();
    for (const [i, b] of [batch(['a', 'b'], 1000), batch(['c'], 2000), batch(['d', 'e', 'f'], 3000)].entries()) {
      const res = log.append(b, validateBatch(b), 10_000 + i);
      expect(res).toMatchObject({ errorCode: 0, duplicate: false });
    }
    expect(log.highWatermark).toBe(6);
    expect(log.read(2, 1 << 20, true).map((b) => readBatchHeader(b).baseOffset)).toEqual([2, 3]);
    expect(log.read(4, 1, true)).toHaveLength(1); // at least one batch, even over the limit
    expect(log.read(4, 1, false)).toHaveLength(0);
    expect(log.offsetForTimestamp(3001)).toEqual({ offset: 4, timestamp: 3001 });
    expect(log.offsetForTimestamp(1500)).toEqual({ offset: 2, timestamp: 2000 });
    expect(log.offsetForTimestamp(9999)).toBeNull();
  });

  it('drops whole batches from the head for retention.bytes and retention.ms, keeping the last one', () => {
    const log = new PartitionLog();
    const now = Date.now();
    for (let i = 0; i < 4; i++) {
      const b = batch([`v${i}`], now - (4 - i) * 1000);
      log.append(b, validateBatch(b), now);
    }
    const one = log.batches[0]?.bytes.length ?? 0;
    log.enforceRetention(one * 3, -1, now);
    expect(log.logStartOffset).toBe(1);
    log.enforceRetention(-1, 1500, now); // batches older than 1.5 s go
    expect(log.logStartOffset).toBe(3);
    log.enforceRetention(0, 0, now);
    expect(log.logStartOffset).toBe(3); // the last batch always stays
    expect(log.highWatermark).toBe(4);
  });
});

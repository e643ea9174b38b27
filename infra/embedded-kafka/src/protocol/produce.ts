import { splitBatches, validateBatch, isTransactional } from '../codec/record-batch';
import { ErrorCode, RecordBatchError } from '../errors';
import type { BrokerState } from '../broker-state';
import type { StoredBatch } from '../log/partition-log';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: Array<{ name: string; partitions: Array<{ index: number; records: Buffer | null }> }>;
  /** The request's buffer holds this request alone (assembled by the connection), so its batches may be kept as they are. */
  ownBuffer: boolean;
}
interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}
interface ProduceResponse {
  topics: Array<{ name: string; partitions: PartitionResult[] }>;
}

function appendTo(broker: BrokerState, topicName: string, index: number, records: Buffer | null, acks: number, stored: StoredBatch[]): PartitionResult {
  const fail = (errorCode: number): PartitionResult => ({ index, errorCode, baseOffset: -1, logStartOffset: -1 });
  const topic = broker.store.get(topicName); // Kafka auto-creates on Metadata only, never on Produce
  const log = topic?.partitions[index];
  if (!topic || !log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (acks !== -1 && acks !== 0 && acks !== 1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
  if (records === null || records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE);
  const maxBytes = Number(broker.store.config(topic, 'max.message.bytes'));
  try {
    const batches = splitBatches(records);
    if (batches.length !== 1) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `produce v3+ must carry exactly one record batch per partition, got ${batches.length}`);
    const batch = batches[0];
    if (batch.length > maxBytes) throw new RecordBatchError(ErrorCode.MESSAGE_TOO_LARGE, `batch of ${batch.length} bytes exceeds max.message.bytes ${maxBytes}`);
    const header = validateBatch(batch);
    if (isTransactional(header.attributes)) throw new RecordBatchError(ErrorCode.INVALID_REQUEST, 'transactional batches are not supported by the embedded broker');
    const now = Date.now();
    const result = log.append(batch, header, now);
    if (result.errorCode !== 0) {
      broker.settings.logger.debug('produce rejected', { topic: topicName, partition: index, error: 'message' in result ? result.message : '' });
      return fail(result.errorCode);
    }
    if ('stored' in result) stored.push(result.stored);
    const retentionBytes = Number(broker.store.config(topic, 'retention.bytes'));
    const retentionMs = Number(broker.store.config(topic, 'retention.ms'));
    log.enforceRetention(retentionBytes, retentionMs, now);
    return { index, errorCode: 0, baseOffset: 'baseOffset' in result ? result.baseOffset : -1, logStartOffset: log.logStartOffset };
  } catch (err) {
    if (!(err instanceof RecordBatchError)) throw err;
    broker.settings.logger.warn('produce rejected', { topic: topicName, partition: index, errorCode: err.errorCode, reason: err.message });
    return fail(err.errorCode);
  }
}

export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  key: ApiKey.Produce,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  decode(r) {
    const frame = r.source;
    return {
      ownBuffer: frame.byteOffset === 0 && frame.buffer.byteLength === frame.length,
      transactionalId: r.nullableString(),
      acks: r.int16(),
      timeoutMs: r.int32(),
      topics: r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ index: p.int32(), records: p.nullableBytes() })) })),
    };
  },
  handle(broker, req) {
    const stored: StoredBatch[] = [];
    const topics = req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => appendTo(broker, t.name, p.index, p.records, req.acks, stored)) }));
    // The log keeps views of the request's own buffer (no copy) only when every batch in it was stored: then the
    // buffer is those batches plus a few bytes of framing. Otherwise (a view into a shared socket chunk, or a sibling
    // batch rejected or a duplicate) each stored batch gets its own copy, so the log never pins bytes it does not hold.
    const batches = req.topics.reduce((n, t) => n + t.partitions.length, 0);
    if (!req.ownBuffer || stored.length !== batches) for (const s of stored) s.bytes = Buffer.from(s.bytes);
    broker.store.notify();
    return req.acks === 0 ? null : { topics };
  },
  noResponse: (req) => req.acks === 0,
  fail(req, errorCode) {
    return { topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode, baseOffset: -1, logStartOffset: -1 })) })) };
  },
  encode(w, res, v) {
    w.array(res.topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        y.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(-1); // log_append_time: -1 (CreateTime)
        if (v >= 5) y.int64(p.logStartOffset);
      });
    });
    w.int32(0); // throttle_time_ms
  },
});

import { ErrorCode } from '../errors';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

const LATEST = -1;
const EARLIEST = -2;

interface ListOffsetsRequest {
  isolationLevel: number;
  topics: Array<{ name: string; partitions: Array<{ index: number; timestamp: number }> }>;
}
interface ListOffsetsResponse {
  topics: Array<{ name: string; partitions: Array<{ index: number; errorCode: number; timestamp: number; offset: number }> }>;
}

/** ListOffsets v1-3: latest (-1) = high watermark, earliest (-2) = log start, else the first offset with timestamp >= t. */
export const listOffsetsApi = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  key: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 3,
  decode(r, v) {
    r.int32(); // replica_id
    const isolationLevel = v >= 2 ? r.int8() : 0;
    return { isolationLevel, topics: r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ index: p.int32(), timestamp: p.int64() })) })) };
  },
  handle(broker, req) {
    return {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const log = broker.store.partition(t.name, p.index);
          if (!log) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
          if (p.timestamp === LATEST) return { index: p.index, errorCode: 0, timestamp: -1, offset: req.isolationLevel === 1 ? log.lastStableOffset : log.highWatermark };
          if (p.timestamp === EARLIEST) return { index: p.index, errorCode: 0, timestamp: -1, offset: log.logStartOffset };
          const found = log.offsetForTimestamp(p.timestamp);
          return { index: p.index, errorCode: 0, timestamp: found?.timestamp ?? -1, offset: found?.offset ?? -1 };
        }),
      })),
    };
  },
  fail(req, errorCode) {
    return { topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode, timestamp: -1, offset: -1 })) })) };
  },
  encode(w, res, v) {
    if (v >= 2) w.int32(0); // throttle_time_ms
    w.array(res.topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => y.int32(p.index).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
    });
  },
});

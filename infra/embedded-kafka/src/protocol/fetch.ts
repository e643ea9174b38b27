import { ErrorCode } from '../errors';
import type { BrokerState } from '../broker-state';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface FetchPartitionRequest {
  index: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}
interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: Array<{ name: string; partitions: FetchPartitionRequest[] }>;
}
interface FetchPartitionResult {
  index: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  records: Buffer[];
}
interface FetchResponse {
  errorCode: number;
  sessionId: number;
  topics: Array<{ name: string; partitions: FetchPartitionResult[] }>;
}

const MAX_INT32 = 0x7fffffff;

/** One pass over the requested partitions; returns the response and the number of record bytes in it. */
function collect(broker: BrokerState, req: FetchRequest): { res: FetchResponse; bytes: number } {
  let budget = req.maxBytes;
  let bytes = 0;
  const topics = req.topics.map((t) => {
    const topic = broker.store.get(t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p): FetchPartitionResult => {
        const log = topic?.partitions[p.index];
        const empty = (errorCode: number): FetchPartitionResult => ({ index: p.index, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: [] });
        if (!log) return empty(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (p.currentLeaderEpoch > log.leaderEpoch) return empty(ErrorCode.UNKNOWN_LEADER_EPOCH);
        if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < log.leaderEpoch) return empty(ErrorCode.FENCED_LEADER_EPOCH);
        const base = { index: p.index, highWatermark: log.highWatermark, lastStableOffset: log.lastStableOffset, logStartOffset: log.logStartOffset };
        if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.highWatermark) return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: [] };
        // KIP-74: the first batch of the response is returned even when it exceeds the limits.
        const records = log.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget), bytes === 0);
        const size = records.reduce((n, b) => n + b.length, 0);
        budget -= size;
        bytes += size;
        return { ...base, errorCode: 0, records };
      }),
    };
  });
  return { res: { errorCode: 0, sessionId: 0, topics }, bytes };
}

/**
 * Fetch v4-11. Long poll: when fewer than min_bytes are available the answer waits for new data, up to max_wait_ms.
 * Fetch sessions (KIP-227) are declined: a full fetch (epoch -1 or 0) gets session id 0, an incremental one
 * FETCH_SESSION_ID_NOT_FOUND, which clients handle by falling back to full fetches.
 */
export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  key: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  decode(r, v) {
    r.int32(); // replica_id
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = v >= 7 ? r.int32() : 0;
    const sessionEpoch = v >= 7 ? r.int32() : -1;
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => {
        const index = p.int32();
        const currentLeaderEpoch = v >= 9 ? p.int32() : -1;
        const fetchOffset = p.int64();
        if (v >= 5) p.int64(); // log_start_offset (followers only)
        return { index, currentLeaderEpoch, fetchOffset, partitionMaxBytes: p.int32() };
      }),
    }));
    if (v >= 7) r.array((t) => (t.string(), t.array((p) => p.int32()))); // forgotten_topics_data
    if (v >= 11) r.string(); // rack_id
    return { maxWaitMs, minBytes, maxBytes: maxBytes <= 0 ? MAX_INT32 : maxBytes, isolationLevel, sessionId, sessionEpoch, topics };
  },
  async handle(broker, req) {
    if (req.sessionId !== 0) return { errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, topics: [] };
    const deadline = Date.now() + Math.max(0, req.maxWaitMs);
    for (;;) {
      const { res, bytes } = collect(broker, req);
      const hasError = res.topics.some((t) => t.partitions.some((p) => p.errorCode !== 0));
      const remaining = deadline - Date.now();
      if (bytes >= Math.max(1, req.minBytes) || hasError || remaining <= 0 || broker.isClosed) return res;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (cancel(), resolve()), remaining);
        const cancel = broker.store.onChange(() => (clearTimeout(timer), resolve()));
      });
    }
  },
  fail(req, errorCode) {
    return {
      errorCode: 0,
      sessionId: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ index: p.index, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: [] })),
      })),
    };
  },
  encode(w, res, v) {
    w.int32(0); // throttle_time_ms
    if (v >= 7) w.int16(res.errorCode).int32(res.sessionId);
    w.array(res.topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        y.int32(p.index).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
        if (v >= 5) y.int64(p.logStartOffset);
        y.int32(0); // aborted_transactions: empty (no transactions)
        if (v >= 11) y.int32(-1); // preferred_read_replica
        y.int32(p.records.reduce((n, b) => n + b.length, 0));
        for (const b of p.records) y.rawRef(b);
      });
    });
  },
});

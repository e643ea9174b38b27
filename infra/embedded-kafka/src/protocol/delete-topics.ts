import { ErrorCode } from '../errors';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface DeleteTopicsResponse {
  results: Array<{ name: string; errorCode: number }>;
}

export const deleteTopicsApi = defineApi<{ names: string[]; timeoutMs: number }, DeleteTopicsResponse>({
  key: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  decode: (r) => ({ names: r.array((x) => x.string()), timeoutMs: r.int32() }),
  handle: (broker, req) => ({
    results: req.names.map((name) => {
      if (!broker.store.delete(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      // As Kafka does, committed offsets for a deleted topic go with it.
      for (const group of broker.groups.groups.values()) group.offsets.delete(name);
      return { name, errorCode: 0 };
    }),
  }),
  fail: (req, errorCode) => ({ results: req.names.map((name) => ({ name, errorCode })) }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.array(res.results, (x, t) => x.string(t.name).int16(t.errorCode));
  },
});

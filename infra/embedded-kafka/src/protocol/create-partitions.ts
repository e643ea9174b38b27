import { ErrorCode } from '../errors';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface CreatePartitionsRequest {
  topics: Array<{ name: string; count: number; assignments: number[][] | null }>;
  timeoutMs: number;
  validateOnly: boolean;
}
interface CreatePartitionsResponse {
  results: Array<{ name: string; errorCode: number; errorMessage: string | null }>;
}

export const createPartitionsApi = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  key: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  decode: (r) => ({
    topics: r.array((t) => ({ name: t.string(), count: t.int32(), assignments: t.nullableArray((a) => a.array((b) => b.int32())) })),
    timeoutMs: r.int32(),
    validateOnly: r.bool(),
  }),
  handle(broker, req) {
    return {
      results: req.topics.map((t) => {
        const topic = broker.store.get(t.name);
        if (!topic) return { name: t.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${t.name}' does not exist.` };
        const current = topic.partitions.length;
        if (t.count <= current) {
          const msg = t.count === current ? `Topic already has ${current} partitions.` : `Topic currently has ${current} partitions, which is higher than the requested ${t.count}.`;
          return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: msg };
        }
        if (t.assignments && (t.assignments.length !== t.count - current || t.assignments.some((a) => a.length !== 1 || a[0] !== broker.nodeId))) {
          return { name: t.name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `the only broker is ${broker.nodeId}` };
        }
        if (!req.validateOnly) broker.store.addPartitions(topic, t.count);
        return { name: t.name, errorCode: 0, errorMessage: null };
      }),
    };
  },
  fail: (req, errorCode) => ({ results: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) }),
  encode(w, res) {
    w.int32(0); // throttle_time_ms
    w.array(res.results, (x, t) => x.string(t.name).int16(t.errorCode).nullableString(t.errorMessage));
  },
});

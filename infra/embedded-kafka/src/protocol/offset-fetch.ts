import { fetchOffsets } from '../group/group-offsets';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface OffsetFetchRequest {
  groupId: string;
  topics: Array<{ name: string; partitions: number[] }> | null;
}
interface OffsetFetchResponse {
  errorCode: number;
  topics: Array<{ name: string; partitions: Array<{ index: number; offset: number; metadata: string | null; errorCode: number }> }>;
}

/** OffsetFetch v1-4 (v2+: a null topic list fetches every committed partition). */
export const offsetFetchApi = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  key: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 4,
  decode(r, v) {
    const groupId = r.string();
    const read = (t: typeof r) => ({ name: t.string(), partitions: t.array((p) => p.int32()) });
    return { groupId, topics: v >= 2 ? r.nullableArray(read) : r.array(read) };
  },
  handle: (broker, req) => ({ errorCode: 0, topics: fetchOffsets(broker.groups, req.groupId, req.topics) }),
  fail: (req, errorCode) => ({
    errorCode,
    topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitions.map((index) => ({ index, offset: -1, metadata: '', errorCode })) })),
  }),
  encode(w, res, v) {
    if (v >= 3) w.int32(0); // throttle_time_ms
    w.array(res.topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => y.int32(p.index).int64(p.offset).nullableString(p.metadata).int16(p.errorCode));
    });
    if (v >= 2) w.int16(res.errorCode);
  },
});

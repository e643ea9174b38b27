import { commitOffsets } from '../group/group-offsets';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: Array<{ name: string; partitions: Array<{ index: number; offset: number; metadata: string | null }> }>;
}
interface OffsetCommitResponse {
  topics: Array<{ name: string; partitions: Array<{ index: number; errorCode: number }> }>;
}

/** OffsetCommit v2-5 (retention_time_ms, v2-4, is read and ignored: offsets are kept as long as the broker runs). */
export const offsetCommitApi = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  key: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 5,
  decode(r, v) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (v <= 4) r.int64(); // retention_time_ms
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => ({ index: p.int32(), offset: p.int64(), metadata: p.nullableString() })),
    }));
    return { groupId, generationId, memberId, topics };
  },
  handle: (broker, req) => ({ topics: commitOffsets(broker.groups, req, (t, p) => broker.store.partition(t, p) !== undefined) }),
  fail: (req, errorCode) => ({ topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) })) }),
  encode(w, res, v) {
    if (v >= 3) w.int32(0); // throttle_time_ms
    w.array(res.topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => y.int32(p.index).int16(p.errorCode));
    });
  },
});

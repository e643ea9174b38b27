import type { SyncResult } from '../group/group';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export const syncGroupApi = defineApi<SyncGroupRequest, SyncResult>({
  key: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  decode(r, v) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (v >= 3) r.nullableString(); // group_instance_id
    const assignments = r.array((a) => ({ memberId: a.string(), assignment: Buffer.from(a.bytes()) }));
    return { groupId, generationId, memberId, assignments };
  },
  handle: (broker, req) => broker.groups.sync(req.groupId, req.generationId, req.memberId, req.assignments),
  fail: (_req, errorCode) => ({ errorCode, assignment: Buffer.alloc(0) }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode).bytes(res.assignment);
  },
});

import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface LeaveGroupRequest {
  groupId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}
interface LeaveGroupResponse {
  errorCode: number;
  members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
}

/** LeaveGroup v0-3 (v3 leaves a batch of members, KIP-345). */
export const leaveGroupApi = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  key: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  decode(r, v) {
    const groupId = r.string();
    if (v < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
    return { groupId, members: r.array((m) => ({ memberId: m.string(), groupInstanceId: m.nullableString() })) };
  },
  handle(broker, req, ctx) {
    const errors = broker.groups.leave(req.groupId, req.members.map((m) => m.memberId));
    const members = req.members.map((m, i) => ({ ...m, errorCode: errors[i] }));
    // v0-2 carry one member and report its error at the top level; v3 reports per member.
    const errorCode = ctx.version < 3 ? (errors[0] ?? 0) : 0;
    return { errorCode, members };
  },
  fail: (req, errorCode) => ({ errorCode, members: req.members.map((m) => ({ ...m, errorCode })) }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode);
    if (v >= 3) w.array(res.members, (x, m) => x.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
  },
});

import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}

export const heartbeatApi = defineApi<HeartbeatRequest, { errorCode: number }>({
  key: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  decode(r, v) {
    const req = { groupId: r.string(), generationId: r.int32(), memberId: r.string() };
    if (v >= 3) r.nullableString(); // group_instance_id
    return req;
  },
  handle: (broker, req) => ({ errorCode: broker.groups.heartbeat(req.groupId, req.generationId, req.memberId) }),
  fail: (_req, errorCode) => ({ errorCode }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode);
  },
});

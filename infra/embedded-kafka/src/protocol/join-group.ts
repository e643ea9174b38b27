import type { JoinResult, Protocol } from '../group/group';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: Protocol[];
}

/** JoinGroup v0-5; v4+ answers a first join without member id with MEMBER_ID_REQUIRED (KIP-394). */
export const joinGroupApi = defineApi<JoinGroupRequest, JoinResult>({
  key: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  decode(r, v) {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = v >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((p) => ({ name: p.string(), metadata: Buffer.from(p.bytes()) }));
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
  },
  handle(broker, req, ctx) {
    if (req.groupInstanceId !== null) {
      broker.settings.logger.warn('static membership (group.instance.id) is not supported; joining as a dynamic member', { group: req.groupId });
    }
    return broker.groups.join({ ...req, groupInstanceId: null, clientId: ctx.clientId ?? '', clientHost: ctx.clientHost, requireKnownMemberId: ctx.version >= 4 });
  },
  fail: (req, errorCode) => ({ errorCode, generationId: -1, protocolName: null, leaderId: '', memberId: req.memberId, members: [] }),
  encode(w, res, v) {
    if (v >= 2) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName ?? '').string(res.leaderId).string(res.memberId);
    w.array(res.members, (x, m) => {
      x.string(m.memberId);
      if (v >= 5) x.nullableString(m.groupInstanceId);
      x.bytes(m.metadata);
    });
  },
});

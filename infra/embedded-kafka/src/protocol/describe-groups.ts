import { describeGroup } from '../group/group-offsets';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

type GroupDescription = ReturnType<typeof describeGroup>;

export const describeGroupsApi = defineApi<{ groups: string[] }, { groups: GroupDescription[] }>({
  key: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  decode: (r) => ({ groups: r.array((x) => x.string()) }),
  handle: (broker, req) => ({ groups: req.groups.map((g) => describeGroup(broker.groups, g)) }),
  fail: (req, errorCode) => ({ groups: req.groups.map((groupId) => ({ errorCode, groupId, state: '', protocolType: '', protocolData: '', members: [] })) }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.array(res.groups, (x, g) => {
      x.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocolData);
      x.array(g.members, (y, m) => y.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
    });
  },
});

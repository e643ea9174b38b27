import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface ListGroupsResponse {
  errorCode: number;
  groups: Array<{ groupId: string; protocolType: string }>;
}

export const listGroupsApi = defineApi<Record<string, never>, ListGroupsResponse>({
  key: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  decode: () => ({}),
  handle: (broker) => ({
    errorCode: 0,
    groups: [...broker.groups.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '' })),
  }),
  fail: (_req, errorCode) => ({ errorCode, groups: [] }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode);
    w.array(res.groups, (x, g) => x.string(g.groupId).string(g.protocolType));
  },
});

import { deleteGroup } from '../group/group-offsets';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface DeleteGroupsResponse {
  results: Array<{ groupId: string; errorCode: number }>;
}

export const deleteGroupsApi = defineApi<{ groups: string[] }, DeleteGroupsResponse>({
  key: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  decode: (r) => ({ groups: r.array((x) => x.string()) }),
  handle: (broker, req) => ({ results: req.groups.map((groupId) => ({ groupId, errorCode: deleteGroup(broker.groups, groupId) })) }),
  fail: (req, errorCode) => ({ results: req.groups.map((groupId) => ({ groupId, errorCode })) }),
  encode(w, res) {
    w.int32(0); // throttle_time_ms
    w.array(res.results, (x, g) => x.string(g.groupId).int16(g.errorCode));
  },
});

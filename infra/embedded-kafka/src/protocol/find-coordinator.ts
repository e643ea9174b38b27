import { ErrorCode } from '../errors';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface FindCoordinatorRequest {
  key: string;
  keyType: number;
}
interface FindCoordinatorResponse {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

/** FindCoordinator v0-2: this broker coordinates every group. Transaction coordinators (key type 1) are refused. */
export const findCoordinatorApi = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  key: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  decode: (r, v) => ({ key: r.string(), keyType: v >= 1 ? r.int8() : 0 }),
  handle(broker, req) {
    if (req.keyType !== 0) {
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'transactions are not supported by the embedded broker', nodeId: -1, host: '', port: -1 };
    }
    return { errorCode: 0, errorMessage: null, nodeId: broker.nodeId, host: broker.host, port: broker.port };
  },
  fail: (_req, errorCode) => ({ errorCode, errorMessage: null, nodeId: -1, host: '', port: -1 }),
  encode(w, res, v) {
    if (v >= 1) w.int32(0); // throttle_time_ms
    w.int16(res.errorCode);
    if (v >= 1) w.nullableString(res.errorMessage);
    w.int32(res.nodeId).string(res.host).int32(res.port);
  },
});

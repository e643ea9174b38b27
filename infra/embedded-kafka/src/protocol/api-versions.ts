import { ApiKey } from './api-keys';
import { defineApi } from './api';

export interface ApiVersionsResponse {
  errorCode: number;
  apis: Array<{ key: number; min: number; max: number }>;
}

/**
 * ApiVersions v0-2. A request with a newer version than 2 never reaches `decode`: the connection answers it with
 * UNSUPPORTED_VERSION in the v0 format (see `unsupportedApiVersionsResponse`), as Kafka does, so the client can retry
 * with a version from the list.
 */
export const apiVersionsApi = defineApi<Record<string, never>, ApiVersionsResponse>({
  key: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  decode: () => ({}),
  handle: (broker) => ({ errorCode: 0, apis: broker.supportedApis }),
  fail: (_req, errorCode) => ({ errorCode, apis: [] }),
  encode(w, res, v) {
    w.int16(res.errorCode);
    w.array(res.apis, (x, a) => x.int16(a.key).int16(a.min).int16(a.max));
    if (v >= 1) w.int32(0); // throttle_time_ms
  },
});

import { ErrorCode } from '../errors';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}
interface InitProducerIdResponse {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

/** InitProducerId v0-1 for idempotent producers. Transactional ids are refused (no transaction coordinator). */
export const initProducerIdApi = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  key: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  decode: (r) => ({ transactionalId: r.nullableString(), transactionTimeoutMs: r.int32() }),
  handle(broker, req) {
    if (req.transactionalId !== null) {
      broker.settings.logger.warn('transactions are not supported by the embedded broker', { transactionalId: req.transactionalId });
      return { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
    }
    return { errorCode: 0, producerId: broker.allocateProducerId(), producerEpoch: 0 };
  },
  fail: (_req, errorCode) => ({ errorCode, producerId: -1, producerEpoch: -1 }),
  encode(w, res) {
    w.int32(0).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
});

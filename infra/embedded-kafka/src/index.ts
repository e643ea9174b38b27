export { startEmbeddedKafka, type EmbeddedKafka, type EmbeddedKafkaOptions } from './embedded-kafka';
export { FaultHooks, type ApiSelector } from './server/fault-hooks';
export { ApiKey, type ApiName } from './protocol/api-keys';
export { ErrorCode, EmbeddedKafkaError, ProtocolError } from './errors';
export type { BrokerLogger } from './logger';

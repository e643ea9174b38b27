export { createKafkaClient, type KafkaClientOptions } from './kafka-client';

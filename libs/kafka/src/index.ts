export { createKafkaClient, type KafkaClientOptions } from './kafka-client';
export { JavaCompatiblePartitioner, murmur2 } from './partitioner';

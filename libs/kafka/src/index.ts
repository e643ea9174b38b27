export { createKafkaClient, kafkaLogRouter, KAFKA_LOG_LEVEL, type KafkaClientOptions } from './kafka-client';
export { JavaCompatiblePartitioner, murmur2 } from './partitioner';

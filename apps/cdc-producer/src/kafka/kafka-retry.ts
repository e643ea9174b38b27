/** How the producer's kafkajs clients (main thread and send thread) retry a request before KafkaSink's own backoff. */
export const KAFKA_RETRY = { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 };

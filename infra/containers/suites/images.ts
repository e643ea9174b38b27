/**
 * Images the container suites start. The compose stack's images are the same (test/container-suites.spec.ts checks it),
 * except Kafka: @testcontainers/kafka drives Confluent's cp-kafka image (7.9 = Apache Kafka 3.9, KRaft), while compose
 * runs apache/kafka 3.9 directly.
 */
export const IMAGES = {
  postgres: 'postgres:15.10-bookworm',
  kafka: 'confluentinc/cp-kafka:7.9.0',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:9.4.0',
  debeziumConnect: 'quay.io/debezium/connect:3.3.1.Final',
} as const;

/** Built from this repository's Dockerfiles by the suites (tags local to the test run). */
export const BUILT = {
  migrate: { dockerfile: 'infra/docker/migrate/Dockerfile', tag: 'nova/migrate:containers-test' },
  'cdc-producer': { dockerfile: 'apps/cdc-producer/Dockerfile', tag: 'nova/cdc-producer:containers-test', port: 8087 },
  'indexer-worker': { dockerfile: 'apps/indexer-worker/Dockerfile', tag: 'nova/indexer-worker:containers-test', port: 8088 },
  'search-api': { dockerfile: 'apps/search-api/Dockerfile', tag: 'nova/search-api:containers-test', port: 8086 },
} as const;

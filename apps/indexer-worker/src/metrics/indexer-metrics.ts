import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's Prometheus metrics (`nova_indexer_*`), registered on the service registry. */
export function createIndexerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    consumed: new Counter({ name: 'nova_indexer_records_consumed_total', help: 'Kafka records taken into processing', labelNames: ['topic'], registers }),
    indexed: new Counter({
      name: 'nova_indexer_records_indexed_total',
      help: 'Records Elasticsearch accepted (including 409: a version at least as new was already there)',
      labelNames: ['entity', 'operation', 'result'],
      registers,
    }),
    skipped: new Counter({ name: 'nova_indexer_records_skipped_total', help: 'Records skipped on purpose (tombstones, empty content)', labelNames: ['reason'], registers }),
    deadLettered: new Counter({ name: 'nova_indexer_records_dead_lettered_total', help: 'Records sent to the dead-letter topic', labelNames: ['reason'], registers }),
    retried: new Counter({ name: 'nova_indexer_records_retried_total', help: 'Bulk items sent again after a 429 or 5xx', labelNames: ['status'], registers }),
    bulkDuration: new Histogram({
      name: 'nova_indexer_bulk_duration_seconds',
      help: 'Duration of Elasticsearch bulk requests',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    commitToIndexed: new Histogram({
      name: 'nova_indexer_commit_to_indexed_seconds',
      help: 'From the source commit time of an event to Elasticsearch accepting its document (snapshot events excluded)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    consumerLag: new Gauge({ name: 'nova_indexer_consumer_lag', help: 'High watermark minus the next offset to process', labelNames: ['topic', 'partition'], registers }),
    pausedPartitions: new Gauge({ name: 'nova_indexer_paused_partitions', help: 'Partitions paused while Elasticsearch (or the dead-letter topic) is unavailable', registers }),
    purged: new Counter({ name: 'nova_indexer_tombstones_purged_total', help: 'Tombstone documents removed by the purge job', registers }),
    elasticsearchUp: new Gauge({ name: 'nova_indexer_elasticsearch_up', help: '1 when the last Elasticsearch request succeeded', registers }),
  };
}
export type IndexerMetrics = ReturnType<typeof createIndexerMetrics>;

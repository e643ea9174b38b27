/**
 * Connector configuration keys documented for Debezium's PostgreSQL connector and for Kafka Connect connectors in
 * general. A key in infra/debezium/*.json that is not here is a typo or an undocumented setting, and Kafka Connect would
 * accept it silently, so the test refuses it.
 *
 * Sources:
 * - Debezium PostgreSQL connector, "Connector properties" (required, advanced, pass-through):
 *   https://debezium.io/documentation/reference/3.3/connectors/postgresql.html#postgresql-connector-properties
 *   (documentation/modules/ROOT/pages/connectors/postgresql.adoc in the debezium/debezium repository: the
 *   `[[postgresql-property-*]]` anchors).
 * - Kafka Connect connector configs and source-connector topic creation (KIP-158, Kafka 2.6+):
 *   https://kafka.apache.org/documentation/#connectconfigs and https://kafka.apache.org/documentation/#sourceconnectorconfigs
 */
export const DEBEZIUM_DOCS_URL = 'https://debezium.io/documentation/reference/3.3/connectors/postgresql.html#postgresql-connector-properties';

/** Kafka Connect: properties of every connector. */
export const KAFKA_CONNECT_CONNECTOR_KEYS = [
  'name',
  'connector.class',
  'tasks.max',
  'key.converter',
  'value.converter',
  'header.converter',
  'config.action.reload',
  'transforms',
  'predicates',
  'errors.retry.timeout',
  'errors.retry.delay.max.ms',
  'errors.tolerance',
  'errors.log.enable',
  'errors.log.include.messages',
  'topic.creation.groups',
  'exactly.once.support',
  'transaction.boundary',
  'offsets.storage.topic',
] as const;

/** Kafka Connect: prefixes whose sub-keys are passed on (converter settings, SMTs, topic-creation groups). */
export const KAFKA_CONNECT_PREFIXES = ['key.converter.', 'value.converter.', 'header.converter.', 'transforms.', 'predicates.', 'topic.creation.'] as const;

/** Properties of `topic.creation.<group>.*` (KIP-158): replication factor, partitions, include/exclude... */
export const TOPIC_CREATION_GROUP_KEYS = ['replication.factor', 'partitions', 'include', 'exclude'] as const;

/** ...and any topic-level config (https://kafka.apache.org/documentation/#topicconfigs). */
export const KAFKA_TOPIC_CONFIG_KEYS = [
  'cleanup.policy',
  'compression.type',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.timestamp.type',
  'message.timestamp.difference.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.after.max.ms',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.storage.enable',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
] as const;

/** Debezium PostgreSQL connector properties (required and advanced). */
export const DEBEZIUM_POSTGRES_KEYS = [
  'plugin.name',
  'slot.name',
  'slot.drop.on.stop',
  'slot.failover',
  'publication.name',
  'publication.autocreate.mode',
  'replica.identity.autoset.values',
  'database.hostname',
  'database.port',
  'database.user',
  'database.password',
  'database.dbname',
  'topic.prefix',
  'schema.include.list',
  'schema.exclude.list',
  'table.include.list',
  'table.exclude.list',
  'column.include.list',
  'column.exclude.list',
  'skip.messages.without.change',
  'time.precision.mode',
  'decimal.handling.mode',
  'hstore.handling.mode',
  'interval.handling.mode',
  'binary.handling.mode',
  'database.sslmode',
  'database.sslcert',
  'database.sslkey',
  'database.sslpassword',
  'database.sslrootcert',
  'database.sslfactory',
  'database.tcpKeepAlive',
  'database.initial.statements',
  'database.query.timeout.ms',
  'tombstones.on.delete',
  'column.propagate.source.type',
  'datatype.propagate.source.type',
  'message.key.columns',
  'message.prefix.include.list',
  'message.prefix.exclude.list',
  'converters',
  'snapshot.mode',
  'snapshot.locking.mode',
  'snapshot.isolation.mode',
  'snapshot.query.mode',
  'snapshot.include.collection.list',
  'snapshot.select.statement.overrides',
  'snapshot.delay.ms',
  'snapshot.fetch.size',
  'snapshot.lock.timeout.ms',
  'snapshot.max.threads',
  'event.processing.failure.handling.mode',
  'max.batch.size',
  'max.queue.size',
  'max.queue.size.in.bytes',
  'poll.interval.ms',
  'include.unknown.datatypes',
  'status.update.interval.ms',
  'heartbeat.interval.ms',
  'heartbeat.action.query',
  'topic.heartbeat.prefix',
  'slot.max.retries',
  'slot.retry.delay.ms',
  'unavailable.value.placeholder',
  'provide.transaction.metadata',
  'flush.lsn.source',
  'retriable.restart.connector.wait.ms',
  'skipped.operations',
  'signal.data.collection',
  'signal.enabled.channels',
  'notification.enabled.channels',
  'incremental.snapshot.chunk.size',
  'xmin.fetch.interval.ms',
  'topic.naming.strategy',
  'topic.delimiter',
  'topic.cache.size',
  'topic.transaction',
  'schema.name.adjustment.mode',
  'field.name.adjustment.mode',
  'errors.max.retries',
  'custom.metric.tags',
  'include.schema.comments',
  'lsn.flush.timeout.ms',
  'lsn.flush.timeout.action',
] as const;

export type KeyVerdict = { key: string; known: true; source: string } | { key: string; known: false };

export function classifyConnectorKey(key: string): KeyVerdict {
  if ((KAFKA_CONNECT_CONNECTOR_KEYS as readonly string[]).includes(key)) return { key, known: true, source: 'Kafka Connect connector config' };
  if ((DEBEZIUM_POSTGRES_KEYS as readonly string[]).includes(key)) return { key, known: true, source: DEBEZIUM_DOCS_URL };
  const topicCreation = /^topic\.creation\.([^.]+)\.(.+)$/.exec(key);
  if (topicCreation) {
    const [, , prop] = topicCreation;
    const known = (TOPIC_CREATION_GROUP_KEYS as readonly string[]).includes(prop) || (KAFKA_TOPIC_CONFIG_KEYS as readonly string[]).includes(prop);
    return known ? { key, known: true, source: 'Kafka Connect topic creation (KIP-158)' } : { key, known: false };
  }
  if (KAFKA_CONNECT_PREFIXES.filter((p) => p !== 'topic.creation.').some((p) => key.startsWith(p) && key.length > p.length)) return { key, known: true, source: 'Kafka Connect pass-through prefix' };
  return { key, known: false };
}

import { BrokerState } from './broker-state';
import { EmbeddedKafkaError } from './errors';
import { DEFAULT_GROUP_TIMINGS } from './group/group-coordinator';
import { silentLogger, type BrokerLogger } from './logger';
import { supportedApiRanges } from './protocol/registry';
import { BrokerServer } from './server/broker-server';
import type { FaultHooks } from './server/fault-hooks';

export interface EmbeddedKafkaOptions {
  /** TCP port; 0 or absent = a free port chosen by the OS (kept across restart()). */
  port?: number;
  /** Interface to bind and advertise; default 127.0.0.1. */
  host?: string;
  /** broker.id; default 1. */
  nodeId?: number;
  clusterId?: string;
  /** auto.create.topics.enable; default true (Kafka's default). */
  autoCreateTopics?: boolean;
  /** num.partitions for auto-created topics and CreateTopics with -1; default 3 (the original deployment's value). */
  defaultPartitions?: number;
  /** group.min.session.timeout.ms; default 6000. */
  groupMinSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms; default 1800000. */
  groupMaxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms; default 3000 (Kafka's). Tests usually set 0. */
  groupInitialRebalanceDelayMs?: number;
  /** Receives the broker's own log lines (a winston logger fits); default silent. */
  logger?: BrokerLogger;
}

export interface EmbeddedKafka {
  /** Bootstrap addresses for clients, e.g. ['127.0.0.1:41234']. */
  brokers: string[];
  host: string;
  port: number;
  /** Closes the listener and every connection; state is discarded. Idempotent. */
  stop(): Promise<void>;
  /** Drops every connection and the listener, then listens again on the same port with the same logs, offsets and groups. */
  restart(): Promise<void>;
  faults: FaultHooks;
  /** Every (API key, version) clients have used since start, sorted, as "key:version". */
  seenApiVersions(): string[];
  /** Bytes of record batches retained across all partitions. */
  retainedBytes(): number;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new EmbeddedKafkaError('EMBEDDED_KAFKA_BAD_OPTION', `${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Starts a Kafka-protocol broker in this process, listening on TCP. */
export async function startEmbeddedKafka(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
  const host = options.host ?? '127.0.0.1';
  const defaultPartitions = positive('defaultPartitions', options.defaultPartitions ?? 3);
  if (defaultPartitions === 0) throw new EmbeddedKafkaError('EMBEDDED_KAFKA_BAD_OPTION', 'defaultPartitions must be at least 1');
  const state = new BrokerState({
    nodeId: options.nodeId ?? 1,
    clusterId: options.clusterId ?? 'embedded-kafka',
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions,
    group: {
      minSessionTimeoutMs: positive('groupMinSessionTimeoutMs', options.groupMinSessionTimeoutMs ?? DEFAULT_GROUP_TIMINGS.minSessionTimeoutMs),
      maxSessionTimeoutMs: positive('groupMaxSessionTimeoutMs', options.groupMaxSessionTimeoutMs ?? DEFAULT_GROUP_TIMINGS.maxSessionTimeoutMs),
      initialRebalanceDelayMs: positive('groupInitialRebalanceDelayMs', options.groupInitialRebalanceDelayMs ?? DEFAULT_GROUP_TIMINGS.initialRebalanceDelayMs),
    },
    logger: options.logger ?? silentLogger,
  });
  state.supportedApis = supportedApiRanges();
  const server = new BrokerServer(state);
  let port: number;
  try {
    port = await server.listen(host, positive('port', options.port ?? 0));
  } catch (err) {
    throw new EmbeddedKafkaError('EMBEDDED_KAFKA_START_FAILED', `cannot listen on ${host}:${options.port ?? 0}: ${(err as Error).message}`, true);
  }
  state.host = host;
  state.port = port;
  let stopped = false;
  state.settings.logger.info('embedded kafka listening', { host, port });
  return {
    brokers: [`${host}:${port}`],
    host,
    port,
    faults: server.faults,
    async stop() {
      if (stopped) return;
      stopped = true;
      state.close();
      await server.close();
    },
    async restart() {
      if (stopped) throw new EmbeddedKafkaError('EMBEDDED_KAFKA_STOPPED', 'restart() after stop()');
      await server.close();
      state.store.notify(); // wake long polls so they answer (to closed sockets) promptly
      await server.listen(host, port);
      state.settings.logger.info('embedded kafka restarted', { host, port });
    },
    seenApiVersions: () => {
      const key = (s: string) => s.split(':').map(Number) as [number, number];
      return [...server.seenVersions].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
    },
    retainedBytes: () => state.store.retainedBytes(),
  };
}

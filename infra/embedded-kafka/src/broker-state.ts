import { GroupCoordinator, type GroupTimings } from './group/group-coordinator';
import type { BrokerLogger } from './logger';
import { TopicStore, topicNameProblem, type Topic } from './log/topic-store';

export interface BrokerSettings {
  nodeId: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  group: GroupTimings;
  logger: BrokerLogger;
}

/**
 * Everything a broker knows, independent of its network listener: topics and logs, consumer groups, producer ids.
 * It outlives `restart()`, which only replaces the listener and drops connections.
 */
export class BrokerState {
  readonly store = new TopicStore();
  readonly groups: GroupCoordinator;
  /** Where clients reach this broker (set when the listener is bound). */
  host = '127.0.0.1';
  port = 0;
  /** What ApiVersions advertises: each implemented API with its honest min and max version. */
  supportedApis: Array<{ key: number; min: number; max: number }> = [];
  private nextProducerId = 1;
  private closed = false;

  constructor(readonly settings: BrokerSettings) {
    this.groups = new GroupCoordinator(settings.group, settings.logger);
  }

  get nodeId(): number {
    return this.settings.nodeId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  allocateProducerId(): number {
    return this.nextProducerId++;
  }

  /** The topic, auto-created with the default partition count when allowed and the name is legal. */
  topicOrAutoCreate(name: string, allowAutoCreate: boolean): Topic | undefined {
    const existing = this.store.get(name);
    if (existing || !allowAutoCreate || !this.settings.autoCreateTopics || topicNameProblem(name) !== null) return existing;
    this.settings.logger.info('auto-created topic', { topic: name, partitions: this.settings.defaultPartitions });
    return this.store.create(name, this.settings.defaultPartitions);
  }

  close(): void {
    this.closed = true;
    this.groups.close();
    this.store.notify();
  }
}

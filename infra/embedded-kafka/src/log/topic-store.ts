import { PartitionLog } from './partition-log';
import { TOPIC_CONFIG_DEFAULTS } from './topic-configs';

export interface Topic {
  name: string;
  id: number;
  partitions: PartitionLog[];
  configs: Map<string, string>;
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic name rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..". */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > 249) return 'topic name is longer than 249 characters';
  if (!LEGAL_TOPIC.test(name)) return `topic name "${name}" has characters outside [a-zA-Z0-9._-]`;
  return null;
}

/** The broker's topics and partitions, and the waiters (long-polling fetches) to wake when data arrives. */
export class TopicStore {
  readonly topics = new Map<string, Topic>();
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  create(name: string, partitions: number, configs: Map<string, string> = new Map()): Topic {
    const topic: Topic = { name, id: this.nextId++, partitions: Array.from({ length: partitions }, () => new PartitionLog()), configs };
    this.topics.set(name, topic);
    return topic;
  }

  delete(name: string): boolean {
    const ok = this.topics.delete(name);
    if (ok) this.notify();
    return ok;
  }

  addPartitions(topic: Topic, total: number): void {
    while (topic.partitions.length < total) topic.partitions.push(new PartitionLog());
  }

  config(topic: Topic, name: string): string {
    return topic.configs.get(name) ?? TOPIC_CONFIG_DEFAULTS[name] ?? '';
  }

  /** Registers a callback run once on the next append or topic change; returns its cancel function. */
  onChange(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  notify(): void {
    if (this.waiters.size === 0) return;
    const fns = [...this.waiters];
    this.waiters.clear();
    for (const fn of fns) fn();
  }

  /** Total bytes of retained record batches (the bulk of the broker's memory). */
  retainedBytes(): number {
    let n = 0;
    for (const t of this.topics.values()) for (const p of t.partitions) n += p.retainedBytes;
    return n;
  }
}

import { ErrorCode } from '../errors';
import type { BrokerState } from '../broker-state';
import { topicNameProblem } from '../log/topic-store';
import { validateTopicConfig } from '../log/topic-configs';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: Array<{ partition: number; brokerIds: number[] }>;
  configs: Array<{ name: string; value: string | null }>;
}
interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}
interface CreateTopicsResponse {
  topics: Array<{ name: string; errorCode: number; errorMessage: string | null }>;
}

function createOne(broker: BrokerState, t: CreatableTopic, validateOnly: boolean): { errorCode: number; errorMessage: string | null } {
  const nameProblem = topicNameProblem(t.name);
  if (nameProblem) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: nameProblem };
  if (broker.store.get(t.name)) return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${t.name}' already exists.` };
  let partitions = t.numPartitions === -1 ? broker.settings.defaultPartitions : t.numPartitions;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Both numPartitions or replicationFactor and replicasAssignments were set.' };
    }
    if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.nodeId)) {
      return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `the only broker is ${broker.nodeId}` };
    }
    partitions = t.assignments.length;
  }
  if (partitions <= 0) return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'Number of partitions must be larger than 0.' };
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    return { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: `Replication factor: ${t.replicationFactor} larger than available brokers: 1.` };
  }
  const configs = new Map<string, string>();
  for (const c of t.configs) {
    const problem = validateTopicConfig(c.name, c.value);
    if (problem) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: problem };
    configs.set(c.name, c.value ?? '');
  }
  if (!validateOnly) broker.store.create(t.name, partitions, configs);
  return { errorCode: 0, errorMessage: null };
}

export const createTopicsApi = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  key: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  decode(r, v) {
    const topics = r.array(
      (t): CreatableTopic => ({
        name: t.string(),
        numPartitions: t.int32(),
        replicationFactor: t.int16(),
        assignments: t.array((a) => ({ partition: a.int32(), brokerIds: a.array((b) => b.int32()) })),
        configs: t.array((c) => ({ name: c.string(), value: c.nullableString() })),
      }),
    );
    const timeoutMs = r.int32();
    const validateOnly = v >= 1 ? r.bool() : false;
    return { topics, timeoutMs, validateOnly };
  },
  handle(broker, req) {
    const seen = new Set<string>();
    const topics = req.topics.map((t) => {
      if (seen.has(t.name)) return { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Create topics request from client contains duplicate topic names' };
      seen.add(t.name);
      return { name: t.name, ...createOne(broker, t, req.validateOnly) };
    });
    return { topics };
  },
  fail: (req, errorCode) => ({ topics: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) }),
  encode(w, res, v) {
    if (v >= 2) w.int32(0); // throttle_time_ms
    w.array(res.topics, (x, t) => {
      x.string(t.name).int16(t.errorCode);
      if (v >= 1) x.nullableString(t.errorMessage);
    });
  },
});

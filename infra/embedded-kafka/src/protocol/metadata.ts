import { ErrorCode } from '../errors';
import { topicNameProblem } from '../log/topic-store';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

interface MetadataRequest {
  topics: string[] | null; // null (or [] in v0) = all topics
  allowAutoTopicCreation: boolean;
}
interface PartitionMeta {
  errorCode: number;
  index: number;
  leader: number;
  replicas: number[];
}
interface TopicMeta {
  errorCode: number;
  name: string;
  partitions: PartitionMeta[];
}
interface MetadataResponse {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  clusterId: string;
  controllerId: number;
  topics: TopicMeta[];
}

export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  key: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  decode(r, v) {
    const topics = r.nullableArray((x) => x.string());
    const allowAutoTopicCreation = v >= 4 ? r.bool() : true;
    return { topics: v === 0 && topics?.length === 0 ? null : topics, allowAutoTopicCreation };
  },
  handle(broker, req) {
    const names = req.topics ?? [...broker.store.topics.keys()].sort();
    const topics = names.map((name): TopicMeta => {
      if (topicNameProblem(name) !== null) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
      const topic = req.topics === null ? broker.store.get(name) : broker.topicOrAutoCreate(name, req.allowAutoTopicCreation);
      if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
      return {
        errorCode: 0,
        name,
        partitions: topic.partitions.map((_, index) => ({ errorCode: 0, index, leader: broker.nodeId, replicas: [broker.nodeId] })),
      };
    });
    return { brokers: [{ nodeId: broker.nodeId, host: broker.host, port: broker.port }], clusterId: broker.settings.clusterId, controllerId: broker.nodeId, topics };
  },
  fail(req, errorCode) {
    return { brokers: [], clusterId: '', controllerId: -1, topics: (req.topics ?? []).map((name) => ({ errorCode, name, partitions: [] })) };
  },
  encode(w, res, v) {
    if (v >= 3) w.int32(0); // throttle_time_ms
    w.array(res.brokers, (x, b) => {
      x.int32(b.nodeId).string(b.host).int32(b.port);
      if (v >= 1) x.nullableString(null); // rack
    });
    if (v >= 2) w.nullableString(res.clusterId);
    if (v >= 1) w.int32(res.controllerId);
    w.array(res.topics, (x, t) => {
      x.int16(t.errorCode).string(t.name);
      if (v >= 1) x.bool(false); // is_internal
      x.array(t.partitions, (y, p) => {
        y.int16(p.errorCode).int32(p.index).int32(p.leader);
        y.array(p.replicas, (z, n) => z.int32(n)); // replica_nodes
        y.array(p.replicas, (z, n) => z.int32(n)); // isr_nodes
        if (v >= 5) y.array([], () => undefined); // offline_replicas
      });
    });
  },
});

import { ErrorCode } from '../errors';
import type { BrokerState } from '../broker-state';
import { TOPIC_CONFIG_DEFAULTS } from '../log/topic-configs';
import { ApiKey } from './api-keys';
import { defineApi } from './api';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
/** config_source values (DescribeConfigs v1+). */
const SOURCE_TOPIC = 1;
const SOURCE_DEFAULT = 5;

interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  source: number;
}
interface ResourceResult {
  errorCode: number;
  errorMessage: string | null;
  type: number;
  name: string;
  configs: ConfigEntry[];
}
interface DescribeConfigsRequest {
  resources: Array<{ type: number; name: string; keys: string[] | null }>;
  includeSynonyms: boolean;
}

function brokerConfigs(broker: BrokerState): Record<string, string> {
  return {
    'auto.create.topics.enable': String(broker.settings.autoCreateTopics),
    'num.partitions': String(broker.settings.defaultPartitions),
    'default.replication.factor': '1',
    'group.min.session.timeout.ms': String(broker.groups.timings.minSessionTimeoutMs),
    'group.max.session.timeout.ms': String(broker.groups.timings.maxSessionTimeoutMs),
    'group.initial.rebalance.delay.ms': String(broker.groups.timings.initialRebalanceDelayMs),
    'message.max.bytes': TOPIC_CONFIG_DEFAULTS['max.message.bytes'],
    'log.retention.ms': TOPIC_CONFIG_DEFAULTS['retention.ms'],
    'log.retention.bytes': TOPIC_CONFIG_DEFAULTS['retention.bytes'],
  };
}

function describe(broker: BrokerState, res: DescribeConfigsRequest['resources'][number]): ResourceResult {
  const base = { type: res.type, name: res.name };
  const keys = res.keys;
  const pick = (all: ConfigEntry[]) => (keys === null ? all : all.filter((c) => keys.includes(c.name)));
  if (res.type === RESOURCE_TOPIC) {
    const topic = broker.store.get(res.name);
    if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${res.name} does not exist`, configs: [] };
    const all = Object.keys(TOPIC_CONFIG_DEFAULTS)
      .sort()
      .map((name) => {
        const set = topic.configs.has(name);
        return { name, value: broker.store.config(topic, name), readOnly: false, isDefault: !set, source: set ? SOURCE_TOPIC : SOURCE_DEFAULT };
      });
    return { ...base, errorCode: 0, errorMessage: null, configs: pick(all) };
  }
  if (res.type === RESOURCE_BROKER) {
    if (res.name !== '' && res.name !== String(broker.nodeId)) {
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${broker.nodeId} or empty string, but received ${res.name}`, configs: [] };
    }
    const all = Object.entries(brokerConfigs(broker)).map(([name, value]) => ({ name, value, readOnly: true, isDefault: true, source: SOURCE_DEFAULT }));
    return { ...base, errorCode: 0, errorMessage: null, configs: pick(all) };
  }
  return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${res.type} is not supported`, configs: [] };
}

export const describeConfigsApi = defineApi<DescribeConfigsRequest, { results: ResourceResult[] }>({
  key: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  decode(r, v) {
    const resources = r.array((x) => ({ type: x.int8(), name: x.string(), keys: x.nullableArray((k) => k.string()) }));
    return { resources, includeSynonyms: v >= 1 ? r.bool() : false };
  },
  handle: (broker, req) => ({ results: req.resources.map((res) => describe(broker, res)) }),
  fail: (req, errorCode) => ({ results: req.resources.map((r) => ({ errorCode, errorMessage: null, type: r.type, name: r.name, configs: [] })) }),
  encode(w, res, v) {
    w.int32(0); // throttle_time_ms
    w.array(res.results, (x, r) => {
      x.int16(r.errorCode).nullableString(r.errorMessage).int8(r.type).string(r.name);
      x.array(r.configs, (y, c) => {
        y.string(c.name).nullableString(c.value).bool(c.readOnly);
        if (v === 0) y.bool(c.isDefault);
        else y.int8(c.source);
        y.bool(false); // is_sensitive
        if (v >= 1) y.array([], () => undefined); // synonyms
      });
    });
  },
});

/** Topic configs this broker knows, with Apache Kafka's defaults. Values it cannot honour are rejected by `validateTopicConfig`. */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'min.insync.replicas': '1',
  'retention.bytes': '-1',
  'retention.ms': '604800000',
  'segment.bytes': '1073741824',
  'unclean.leader.election.enable': 'false',
};

const intConfig = (min: number) => (v: string) => (/^-?\d+$/.test(v) && Number(v) >= min ? null : `must be an integer >= ${min}`);
const RULES: Record<string, (v: string) => string | null> = {
  'cleanup.policy': (v) => (v === 'delete' ? null : 'only "delete" is supported (no log compaction)'),
  'compression.type': (v) => (v === 'producer' ? null : 'only "producer" is supported (no broker-side recompression)'),
  'max.message.bytes': intConfig(0),
  'message.timestamp.type': (v) => (v === 'CreateTime' ? null : 'only CreateTime is supported'),
  'min.insync.replicas': (v) => (v === '1' ? null : 'a single broker can only satisfy 1'),
  'retention.bytes': intConfig(-1),
  'retention.ms': intConfig(-1),
  'segment.bytes': intConfig(14),
  'unclean.leader.election.enable': (v) => (v === 'true' || v === 'false' ? null : 'must be true or false'),
};

/** Returns an error message for a config this broker does not know or cannot honour, else null. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const rule = RULES[name];
  if (!rule) return `unknown or unsupported topic config "${name}"`;
  if (value === null) return `config "${name}" has no value`;
  const problem = rule(value);
  return problem === null ? null : `invalid value "${value}" for "${name}": ${problem}`;
}

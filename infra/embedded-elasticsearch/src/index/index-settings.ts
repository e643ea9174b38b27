import { EsError } from '../http/es-error';

/** Parses an Elasticsearch time value (`1s`, `500ms`, `2m`, `-1`) to milliseconds (-1 stays -1). */
export function parseTimeValue(value: unknown, setting: string): number {
  const text = String(value).trim();
  if (text === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(text);
  if (!m) {
    throw EsError.badRequest(`failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`);
  }
  const factor = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]] ?? 1;
  return Number(m[1]) * factor;
}

const SUPPORTED = new Set([
  'index.number_of_shards', 'index.number_of_replicas', 'index.refresh_interval', 'index.gc_deletes',
  'index.max_result_window', 'index.uuid', 'index.creation_date', 'index.provided_name', 'index.version.created',
]);

/** Flattens `{index:{refresh_interval}}`, `{refresh_interval}` and `{"index.refresh_interval"}` to `index.*` keys. */
export function flattenSettings(settings: Record<string, unknown> | undefined): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix + key;
      if (path === 'analysis' || path === 'index.analysis') flat['index.analysis'] = value;
      else if (value && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, `${path}.`);
      else flat[path.startsWith('index.') ? path : `index.${path}`] = value;
    }
  };
  walk(settings ?? {}, '');
  return flat;
}

export interface IndexSettings {
  flat: Record<string, unknown>;
  refreshIntervalMs: number;
  gcDeletesMs: number;
  maxResultWindow: number;
  analysis: Record<string, unknown> | undefined;
}

export function parseIndexSettings(settings: Record<string, unknown> | undefined): IndexSettings {
  const flat = flattenSettings(settings);
  for (const key of Object.keys(flat)) {
    if (key !== 'index.analysis' && !SUPPORTED.has(key)) throw EsError.unsupported(`index setting [${key}]`);
  }
  return {
    flat,
    refreshIntervalMs: flat['index.refresh_interval'] === undefined ? 1000 : parseTimeValue(flat['index.refresh_interval'], 'index.refresh_interval'),
    gcDeletesMs: flat['index.gc_deletes'] === undefined ? 60_000 : parseTimeValue(flat['index.gc_deletes'], 'index.gc_deletes'),
    maxResultWindow: Number(flat['index.max_result_window'] ?? 10_000),
    analysis: flat['index.analysis'] as Record<string, unknown> | undefined,
  };
}

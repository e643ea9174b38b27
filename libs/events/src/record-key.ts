import type { Change, NormalizeResult } from './change';
import { invalid, isObject } from './results';
import { describe } from './validation';

/**
 * The Kafka key, when present, must name the same entity as the value. Accepted key forms: the bare id (ours), a JSON
 * string, Debezium's JSON key `{"id": ...}` and its `schemas.enable` form `{"schema": ..., "payload": {"id": ...}}`.
 * A null or empty key is not checked. The legacy flat payload's key is never checked: the original service ignored
 * keys, and other services may key those records differently (for example by conversation).
 */
export function checkKey(key: string | null, change: Change): NormalizeResult | undefined {
  if (key === null || key === '') return undefined;
  const id = keyId(key);
  if (id === undefined) {
    return invalid('EVENT_INVALID', 'key', `expected the entity id or a Debezium key {"id": ...}, got ${describe(key)}`);
  }
  if (id.toLowerCase() !== change.id) {
    return invalid('EVENT_INVALID', 'key', `record key ${JSON.stringify(id)} does not match the ${change.entity} id ${JSON.stringify(change.id)}`);
  }
  return undefined;
}

function keyId(key: string): string | undefined {
  const text = key.trim();
  if (!text.startsWith('{') && !text.startsWith('"')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return parsed;
  if (isObject(parsed) && 'payload' in parsed && 'schema' in parsed) parsed = parsed.payload;
  if (isObject(parsed) && typeof parsed.id === 'string') return parsed.id;
  return undefined;
}

import type { NormalizeInput, NormalizeOptions, NormalizeResult } from './change';
import { normalizeDebezium, normalizeUnwrapped, tableFromTopic } from './debezium-format';
import { legacyTopicOf, normalizeLegacy } from './legacy-format';
import { isEventType } from './envelope.schema';
import { normalizeNova } from './nova-format';
import { checkKey } from './record-key';
import { ignored, invalid, isObject, type NormalizeContext } from './results';
import { describe } from './validation';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns one Kafka record into one Change, or says why not. Never throws.
 *
 * Recognised, in this order (after unwrapping a `{schema, payload}` JSON-converter envelope):
 * 1. our envelope (`schema_version`, or one of our `event_type`s),
 * 2. Debezium's change event (`op` / `before` / `after` / a `source` object),
 * 3. Debezium's ExtractNewRecordState form (any `__`-prefixed metadata field),
 * 4. the original flat payload, by the configured topic it arrived on,
 * 5. an unwrapped row without metadata (`id` column) on a Debezium topic `<prefix>.<schema>.messages|posts`.
 * A null value (Kafka tombstone) is ignored.
 */
export function normalize(input: NormalizeInput, options: NormalizeOptions): NormalizeResult {
  try {
    return normalizeRecord(input, options);
  } catch (err) {
    // A bug here must not stop the line: report it as an invalid record, naming the cause.
    return invalid('EVENT_INVALID', 'value', `could not be normalised: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function normalizeRecord(input: NormalizeInput, options: NormalizeOptions): NormalizeResult {
  if (input.value === null || input.value === undefined) return ignored('tombstone');
  const text = decode(input.value);
  if (text === undefined) return invalid('EVENT_UNPARSEABLE', 'value', 'not valid UTF-8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (text.trim() === '') return invalid('EVENT_UNPARSEABLE', 'value', 'empty value (a tombstone is a null value, not empty bytes)');
    return invalid('EVENT_UNPARSEABLE', 'value', `not JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) return invalid('EVENT_UNPARSEABLE', 'value', `expected a JSON object, got ${describe(parsed)}`);

  let value = parsed;
  let prefix = '';
  if (isConverterEnvelope(value)) {
    if (value.payload === null) return ignored('tombstone');
    if (!isObject(value.payload)) return invalid('EVENT_INVALID', 'payload', `expected an object, got ${describe(value.payload)}`);
    value = value.payload;
    prefix = 'payload';
  }

  const key = input.key === null || input.key === undefined ? null : decode(input.key);
  if (key === undefined) return invalid('EVENT_UNPARSEABLE', 'key', 'not valid UTF-8');
  const ctx: NormalizeContext = { topic: input.topic, headers: input.headers, options };

  const legacy = legacyTopicOf(ctx);
  let result: NormalizeResult;
  if ('schema_version' in value || isEventType(value.event_type) || ('event_type' in value && !legacy)) {
    result = normalizeNova(value, ctx);
  } else if ('op' in value || 'before' in value || 'after' in value || isObject(value.source)) {
    result = normalizeDebezium(value, prefix, ctx);
  } else if (Object.keys(value).some((k) => k.startsWith('__'))) {
    result = normalizeUnwrapped(value, prefix, ctx);
  } else {
    // Other services' flat payloads may carry extra keys of their own (even `event_type` or a `source` string):
    // on a configured topic, anything that is not clearly one of the forms above is read as the flat form.
    if (legacy) return normalizeLegacy(value, legacy, ctx); // keys of the legacy form are not checked
    if ('id' in value && tableFromTopic(input.topic)) {
      result = normalizeUnwrapped(value, prefix, ctx);
    } else {
      return invalid(
        'EVENT_UNSUPPORTED',
        'value',
        `unrecognised event on topic ${JSON.stringify(input.topic)}: not our envelope (event_type), a Debezium change event (op, source), ` +
          'a Debezium unwrapped row (__table, __op, __deleted) nor a flat payload on a configured message/post topic',
      );
    }
  }
  if (result.kind !== 'change') return result;
  return checkKey(key, result.change) ?? result;
}

/** Kafka Connect's JsonConverter with `schemas.enable=true` wraps every value as `{"schema": ..., "payload": ...}`. */
function isConverterEnvelope(value: Record<string, unknown>): value is { schema: unknown; payload: unknown } {
  const keys = Object.keys(value);
  return keys.length === 2 && 'schema' in value && 'payload' in value;
}

function decode(bytes: Buffer | string): string | undefined {
  if (typeof bytes === 'string') return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

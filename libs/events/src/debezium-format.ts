import type { Change, ChangeFormat, Entity, NormalizeResult } from './change';
import { deleteFieldsFromRow, messageFieldsFromRow, postFieldsFromRow } from './fields';
import { parseLsn, isLsn } from './lsn';
import { messageRowSchema } from './message.schema';
import { postRowSchema } from './post.schema';
import { changed, fromError, ignored, invalid, isObject, type NormalizeContext } from './results';
import { describe, fieldPath, parseWith } from './validation';

/** Tables we index (any schema: `public.messages` and `tenant1.messages` are both `messages`). */
const TABLES: Record<string, Entity> = { messages: 'message', posts: 'post' };
/** What Debezium puts in a column whose unchanged TOASTed value the WAL did not carry. */
export const TOAST_PLACEHOLDER = '__debezium_unavailable_value';
const TEXT_COLUMNS = ['content', 'title'] as const;
const MAX_LSN = (1n << 64n) - 1n;

const messageDeleteRowSchema = messageRowSchema.partial().required({ id: true });
const postDeleteRowSchema = postRowSchema.partial().required({ id: true });

interface Meta {
  version: bigint | null;
  committedAt: string | null;
  origin: Change['origin'];
}

/**
 * Debezium's PostgreSQL change event (`before`, `after`, `source`, `op`), already unwrapped from `{schema, payload}`
 * when the JSON converter had `schemas.enable=true` (then `prefix` is `payload`). Version = `source.lsn`.
 */
export function normalizeDebezium(event: Record<string, unknown>, prefix: string, ctx: NormalizeContext): NormalizeResult {
  const at = (...path: string[]) => fieldPath(prefix, ...path);
  const source = event.source;
  if (!isObject(source)) {
    return invalid('EVENT_INVALID', at('source'), source === undefined ? 'missing (a Debezium change event carries source metadata)' : `expected an object, got ${describe(source)}`);
  }
  if (typeof source.table !== 'string') {
    return invalid('EVENT_INVALID', at('source', 'table'), source.table === undefined ? 'missing (expected the table name)' : `expected a string, got ${describe(source.table)}`);
  }
  const entity = TABLES[source.table];
  if (!entity) return ignored('unknown_table');

  const op = event.op;
  if (typeof op !== 'string') {
    return invalid('EVENT_INVALID', at('op'), op === undefined ? "missing (expected 'c', 'u', 'd' or 'r')" : `expected a string, got ${describe(op)}`);
  }
  if (op === 't') {
    return invalid('EVENT_UNSUPPORTED', at('op'), "truncate events (op 't') are not supported: rebuild the index from PostgreSQL after a TRUNCATE");
  }
  if (op === 'm') return invalid('EVENT_UNSUPPORTED', at('op'), "logical decoding messages (op 'm') are not row changes");
  if (!['c', 'u', 'd', 'r'].includes(op)) {
    return invalid('EVENT_INVALID', at('op'), `expected one of 'c' (create), 'u' (update), 'd' (delete), 'r' (snapshot read), got ${describe(op)}`);
  }

  const lsn = readLsn(source.lsn, at('source', 'lsn'), true);
  if (lsn instanceof Error) return lsn.result;
  const snapshot = readSnapshot(source.snapshot, at('source', 'snapshot'));
  if (snapshot instanceof Error) return snapshot.result;
  const committedAt = readEpochMillis(source.ts_ms, at('source', 'ts_ms'));
  if (committedAt instanceof Error) return committedAt.result;
  const meta: Meta = { version: lsn, committedAt, origin: origin('debezium', ctx, snapshot ?? false) };

  if (op === 'd') {
    if (!isObject(event.before)) {
      return invalid(
        'EVENT_INVALID',
        at('before'),
        `expected the deleted row, got ${describe(event.before)} (set REPLICA IDENTITY FULL, or DEFAULT with a primary key, on the table)`,
      );
    }
    return rowChange(entity, event.before, at('before'), meta, true);
  }
  if (!isObject(event.after)) {
    return invalid('EVENT_INVALID', at('after'), `expected the new row for op '${op}', got ${describe(event.after)}`);
  }
  return rowChange(entity, withToastedValues(event.after, event.before), at('after'), meta, false);
}

/**
 * Debezium's ExtractNewRecordState (unwrapped) form: the row's columns at the top level plus the metadata the SMT was
 * told to add: `__deleted` (delete.handling.mode / delete.tombstone.handling.mode=rewrite), `__op`, `__table`, `__lsn`,
 * `__source_ts_ms`, `__snapshot`. Without `__lsn` the change is unversioned (version null). Without `__table` the table
 * is the last segment of Debezium's default topic name `<prefix>.<schema>.<table>`.
 */
export function normalizeUnwrapped(row: Record<string, unknown>, prefix: string, ctx: NormalizeContext): NormalizeResult {
  const at = (...path: string[]) => fieldPath(prefix, ...path);
  const tableKey = '__table' in row ? '__table' : '__source_table';
  let table = row[tableKey];
  if (table === undefined || table === null) {
    table = tableFromTopic(ctx.topic);
    if (table === undefined) {
      return invalid('EVENT_INVALID', at('__table'), "missing: cannot tell the table (add 'table' to the SMT's add.fields, or keep Debezium's <prefix>.<schema>.<table> topic names)");
    }
  }
  if (typeof table !== 'string') return invalid('EVENT_INVALID', at(tableKey), `expected a string, got ${describe(table)}`);
  const entity = TABLES[table];
  if (!entity) return ignored('unknown_table');

  const op = row.__op;
  if (op !== undefined && op !== null && !['c', 'u', 'd', 'r'].includes(op as string)) {
    return invalid('EVENT_INVALID', at('__op'), `expected one of 'c', 'u', 'd', 'r', got ${describe(op)}`);
  }
  const deleted = row.__deleted;
  if (deleted !== undefined && deleted !== null && !['true', 'false', true, false].includes(deleted as string | boolean)) {
    return invalid('EVENT_INVALID', at('__deleted'), `expected "true" or "false", got ${describe(deleted)}`);
  }
  const lsnKey = '__lsn' in row ? '__lsn' : '__source_lsn';
  const lsn = readLsn(row[lsnKey], at(lsnKey), false);
  if (lsn instanceof Error) return lsn.result;
  const committedAt = readEpochMillis(row.__source_ts_ms, at('__source_ts_ms'));
  if (committedAt instanceof Error) return committedAt.result;
  const snapshotKey = '__snapshot' in row ? '__snapshot' : '__source_snapshot';
  const snapshot = readSnapshot(row[snapshotKey], at(snapshotKey));
  if (snapshot instanceof Error) return snapshot.result;

  const meta: Meta = { version: lsn, committedAt, origin: origin('debezium-unwrapped', ctx, snapshot) };
  const isDelete = deleted === 'true' || deleted === true || op === 'd';
  return rowChange(entity, row, prefix, meta, isDelete);
}

/** `<prefix>.<schema>.<table>` -> table, when it is one we index. */
export function tableFromTopic(topic: string): string | undefined {
  const last = topic.split('.').pop();
  return last !== undefined && last in TABLES ? last : undefined;
}

/** A row image -> one Change. A soft-deleted row (deleted_at set) is a delete. */
function rowChange(entity: Entity, row: Record<string, unknown>, path: string, meta: Meta, isDelete: boolean): NormalizeResult {
  if (isDelete || (row.deleted_at !== null && row.deleted_at !== undefined)) {
    if (entity === 'message') {
      const parsed = parseWith(messageDeleteRowSchema, row, path);
      if (!parsed.ok) return fromError(parsed.error);
      return changed({ entity, id: parsed.data.id, operation: 'delete', fields: deleteFieldsFromRow('message', parsed.data), ...meta });
    }
    const parsed = parseWith(postDeleteRowSchema, row, path);
    if (!parsed.ok) return fromError(parsed.error);
    return changed({ entity, id: parsed.data.id, operation: 'delete', fields: deleteFieldsFromRow('post', parsed.data), ...meta });
  }
  for (const column of TEXT_COLUMNS) {
    if (row[column] === TOAST_PLACEHOLDER) {
      return invalid(
        'EVENT_INVALID',
        fieldPath(path, column),
        `unchanged TOASTed value was not delivered (Debezium placeholder ${TOAST_PLACEHOLDER}); set REPLICA IDENTITY FULL on the table`,
      );
    }
  }
  if (entity === 'message') {
    const parsed = parseWith(messageRowSchema, row, path);
    if (!parsed.ok) return fromError(parsed.error);
    return changed({ entity, id: parsed.data.id, operation: 'upsert', fields: messageFieldsFromRow(parsed.data), ...meta });
  }
  const parsed = parseWith(postRowSchema, row, path);
  if (!parsed.ok) return fromError(parsed.error);
  return changed({ entity, id: parsed.data.id, operation: 'upsert', fields: postFieldsFromRow(parsed.data), ...meta });
}

/** An update that left a large (TOASTed) text column unchanged may carry a placeholder; the FULL `before` has the value. */
function withToastedValues(after: Record<string, unknown>, before: unknown): Record<string, unknown> {
  if (!isObject(before) || !TEXT_COLUMNS.some((c) => after[c] === TOAST_PLACEHOLDER)) return after;
  const row = { ...after };
  for (const column of TEXT_COLUMNS) {
    if (row[column] === TOAST_PLACEHOLDER && typeof before[column] === 'string' && before[column] !== TOAST_PLACEHOLDER) {
      row[column] = before[column];
    }
  }
  return row;
}

function origin(format: ChangeFormat, ctx: NormalizeContext, snapshot: boolean | undefined): Change['origin'] {
  return snapshot === undefined ? { format, topic: ctx.topic } : { format, topic: ctx.topic, snapshot };
}

/** A failed read, carrying the result to return. */
class ReadError extends Error {
  constructor(readonly result: NormalizeResult) {
    super('read failed');
  }
}

/**
 * Debezium's `lsn` is an int64 WAL position: a JSON number (or, in some SMT outputs, a decimal string). `X/Y` text is
 * accepted too. A number above 2^53-1 has already lost precision in JSON.parse and is rejected rather than guessed.
 */
function readLsn(value: unknown, field: string, required: boolean): bigint | null | ReadError {
  const fail = (reason: string) => new ReadError(invalid('EVENT_INVALID', field, reason));
  if (value === undefined || value === null) {
    return required ? fail('missing (a Debezium PostgreSQL event carries the WAL position of the change)') : null;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      return fail(`expected a non-negative integer WAL position no larger than 2^53-1 (larger JSON numbers lose precision), got ${describe(value)}`);
    }
    return BigInt(value);
  }
  if (typeof value === 'string') {
    if (isLsn(value)) return parseLsn(value);
    if (/^\d{1,20}$/.test(value) && BigInt(value) <= MAX_LSN) return BigInt(value);
    return fail(`expected a WAL position (decimal integer or 'X/Y'), got ${describe(value)}`);
  }
  return fail(`expected a WAL position (decimal integer or 'X/Y'), got ${describe(value)}`);
}

/** `snapshot` is a boolean in old versions and a string in newer ones: "true", "false", "first", "last", "incremental", ... */
function readSnapshot(value: unknown, field: string): boolean | undefined | ReadError {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value !== '') return value !== 'false';
  return new ReadError(invalid('EVENT_INVALID', field, `expected a boolean or a snapshot marker string ("true", "false", "last", "incremental", ...), got ${describe(value)}`));
}

/** `source.ts_ms`: when the change was committed, in milliseconds since the epoch. */
function readEpochMillis(value: unknown, field: string): string | null | ReadError {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > 8.64e15) {
    return new ReadError(invalid('EVENT_INVALID', field, `expected milliseconds since the epoch, got ${describe(value)}`));
  }
  return new Date(ms).toISOString();
}

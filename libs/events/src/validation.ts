import type { z } from 'zod';
import { EventValidationError, type EventErrorCode } from './errors';

/** Joins a path prefix and segments into the dotted field name used in errors (`payload.after.content`). */
export function fieldPath(prefix: string, ...segments: ReadonlyArray<PropertyKey>): string {
  return [prefix, ...segments.map(String)].filter((s) => s !== '').join('.') || 'value';
}

/** A short, safe description of a value for an error reason (strings truncated, objects by kind). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Parses `input` with `schema`; on failure returns an EventValidationError for the first problem, naming its dotted
 * path (under `prefix`) and why, e.g. `source.commit_lsn: expected a PostgreSQL LSN 'X/Y' (hexadecimal halves), got "12"`.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string,
  code: EventErrorCode = 'EVENT_INVALID',
): { ok: true; data: z.output<S> } | { ok: false; error: EventValidationError } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  const value = valueAt(input, issue.path);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
  return { ok: false, error: new EventValidationError(code, fieldPath(prefix, ...issue.path), reasonFor(issue, value) + more) };
}

function reasonFor(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    // zod's own wording is "Invalid input: ..."; a schema's custom message (e.g. for timestamps) says more.
    const expected = issue.message.startsWith('Invalid input') ? `expected ${article(issue.expected)}` : issue.message;
    return value === undefined ? `missing (${expected})` : `${expected}, got ${describe(value)}`;
  }
  if (value === undefined) return `missing (${issue.message})`;
  return `${issue.message}, got ${describe(value)}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

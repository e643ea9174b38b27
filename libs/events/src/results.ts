import type { Change, IgnoredReason, NormalizeInput, NormalizeOptions, NormalizeResult } from './change';
import { EventValidationError, type EventErrorCode } from './errors';

/** What every format handler gets besides the value. */
export interface NormalizeContext {
  topic: string;
  headers: NormalizeInput['headers'];
  options: NormalizeOptions;
}

export const invalid = (code: EventErrorCode, field: string, reason: string): NormalizeResult => ({
  kind: 'invalid',
  error: new EventValidationError(code, field, reason),
});
export const fromError = (error: EventValidationError): NormalizeResult => ({ kind: 'invalid', error });
export const ignored = (reason: IgnoredReason): NormalizeResult => ({ kind: 'ignored', reason });
export const changed = (change: Change): NormalizeResult => ({ kind: 'change', change });

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

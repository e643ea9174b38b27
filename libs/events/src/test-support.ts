import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, NormalizeInput, NormalizeOptions, NormalizeResult } from './change';

/** Shared by the specs (not exported from the lib). */
export const OPTIONS: NormalizeOptions = {
  topics: { messagePersisted: 'message_persisted', messageDeleted: 'message_deleted', postPersisted: 'post_persisted', postDeleted: 'post_deleted' },
};
export const DEBEZIUM_MESSAGES_TOPIC = 'nova.public.messages';
export const DEBEZIUM_POSTS_TOPIC = 'nova.public.posts';

export const IDS = {
  message: '7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01',
  conversation: '1b9e6f3a-8c2d-4e7f-b5a1-0c3d9e8f7a02',
  user: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c03',
  post: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b04',
} as const;

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(__dirname, 'fixtures', name));
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
}

export function record(topic: string, value: unknown, key: string | null = null, headers?: NormalizeInput['headers']): NormalizeInput {
  return { topic, key, value: value === null ? null : typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value), headers };
}

export function expectChange(result: NormalizeResult): Change {
  if (result.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  return result.change;
}

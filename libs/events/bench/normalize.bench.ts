/**
 * Throughput of `normalize` per input form (pure CPU, one thread): `npx tsx libs/events/bench/normalize.bench.ts`.
 * A script, not a test: figures depend on the machine and its load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { normalize, type NormalizeInput } from '../src/index';

const options = {
  topics: { messagePersisted: 'message_persisted', messageDeleted: 'message_deleted', postPersisted: 'post_persisted', postDeleted: 'post_deleted' },
};
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'src', 'fixtures', name));

const cases: Array<[string, NormalizeInput]> = [
  ['nova message_persisted', { topic: 'message_persisted', key: '7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01', value: fixture('nova-message-persisted.json') }],
  ['legacy flat sample', { topic: 'message_persisted', key: null, value: fixture('legacy-message-persisted.json') }],
  ['debezium update', { topic: 'nova.public.messages', key: '{"id":"7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01"}', value: fixture('debezium-message-update.json') }],
  ['debezium create, schemas.enable', { topic: 'nova.public.messages', key: null, value: fixture('debezium-message-create.schema.json') }],
  ['debezium unwrapped', { topic: 'nova.public.messages', key: null, value: fixture('debezium-unwrapped-message-update.json') }],
  ['invalid (bad commit_lsn)', { topic: 'message_persisted', key: null, value: fixture('nova-message-persisted.json').toString().replace('16/B374D9A0', 'nope') }],
];

const iterations = Number(process.env.ITERATIONS ?? 50_000);
for (const [name, input] of cases) {
  for (let i = 0; i < 2_000; i++) normalize(input, options); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) normalize(input, options);
  const ms = performance.now() - start;
  const perSecond = Math.round((iterations / ms) * 1000);
  console.log(`${name.padEnd(34)} ${perSecond.toLocaleString('en-US').padStart(10)} records/s  ${((ms * 1000) / iterations).toFixed(1)} µs/record`);
}

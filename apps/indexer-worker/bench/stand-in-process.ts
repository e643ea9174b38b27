/**
 * Runs one embedded stand-in in its own process for the benchmark (so the worker's process holds only the worker):
 * `STAND_IN=kafka|elasticsearch`. Prints one JSON line with its address when ready; stops on SIGTERM.
 */
import { startEmbeddedElasticsearch } from '@nova/embedded-elasticsearch';
import { startEmbeddedKafka } from '@nova/embedded-kafka';

async function main() {
  const which = process.env['STAND_IN'];
  if (which === 'kafka') {
    const kafka = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0 });
    console.log(JSON.stringify({ ready: true, brokers: kafka.brokers }));
    process.once('SIGTERM', () => void kafka.stop().then(() => process.exit(0)));
  } else if (which === 'elasticsearch') {
    const es = await startEmbeddedElasticsearch({});
    console.log(JSON.stringify({ ready: true, url: es.url }));
    process.once('SIGTERM', () => void es.stop().then(() => process.exit(0)));
  } else {
    throw new Error(`STAND_IN must be kafka or elasticsearch, got ${String(which)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

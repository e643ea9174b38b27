/**
 * The consumer side of bench:kafka, run as its own process so that producer, broker and consumer each have an event
 * loop (as in a deployment). Reports to its parent over IPC: `ready` once it owns the partitions, then
 * `{ consumed, lastConsumedAt }` every 100 ms and a final `{ done, cpuSeconds }`.
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const [brokers = '', topic = 'bench', totalText = '0', partitionsText = '3', minBytesText = '1'] = process.argv.slice(2);
  const total = Number(totalText);
  const send = (m: object) => process.send?.(m);
  const kafka = new Kafka({ brokers: [brokers], clientId: 'bench-consumer', logLevel: logLevel.ERROR, retry: { retries: 20, initialRetryTime: 100 } });
  const consumer = kafka.consumer({
    groupId: 'bench',
    minBytes: Number(minBytesText),
    maxBytes: 50 * 1024 * 1024,
    maxBytesPerPartition: 10 * 1024 * 1024,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => send({ ready: true }));
  let consumed = 0;
  let lastConsumedAt = 0;
  const cpuBefore = process.cpuUsage();
  const ticker = setInterval(() => send({ consumed, lastConsumedAt }), 100);
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: Number(partitionsText),
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        lastConsumedAt = Date.now();
        if (consumed >= total) resolve();
      },
    });
  });
  clearInterval(ticker);
  const cpu = process.cpuUsage(cpuBefore);
  send({ consumed, lastConsumedAt, done: true, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  await consumer.disconnect();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench consumer failed: ${String(err)}\n`);
  process.exit(1);
});

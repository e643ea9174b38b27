/**
 * A consumer run as its own process by the crash test. It commits each message's offset as it handles it, up to
 * COMMIT_COUNT messages, prints `COMMITTED <n>` and then stalls on the next message (work in progress) until it is
 * SIGKILLed. Env: BROKERS, TOPIC, GROUP_ID, COMMIT_COUNT, SESSION_TIMEOUT_MS.
 */
import { Kafka, logLevel } from 'kafkajs';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main(): Promise<void> {
  const topic = env('TOPIC');
  const commitCount = Number(env('COMMIT_COUNT'));
  const kafka = new Kafka({ brokers: env('BROKERS').split(','), clientId: 'child-consumer', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: env('GROUP_ID'), sessionTimeout: Number(env('SESSION_TIMEOUT_MS')), heartbeatInterval: 300 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let handled = 0;
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (handled >= commitCount) {
        process.stdout.write(`STALLED ${message.offset}\n`);
        await new Promise(() => undefined); // never finishes: killed mid-work
      }
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      handled++;
      if (handled === commitCount) process.stdout.write(`COMMITTED ${handled}\n`);
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`child consumer failed: ${String(err)}\n`);
  process.exit(1);
});

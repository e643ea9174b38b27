/**
 * The Kafka send thread (started by ThreadedProducer; its own bundle entry): one idempotent kafkajs producer that
 * encodes and sends the batches the main thread posts, answering each request with `done` or `failed`. kafkajs's log
 * entries are posted to the main thread, which writes them through its logger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, type Message } from 'kafkajs';
import { JavaCompatiblePartitioner, KAFKA_LOG_LEVEL } from '@nova/kafka';
import { describeKafkaFailure } from './kafka-errors';
import { KAFKA_RETRY } from './kafka-retry';
import type { PackedBatch } from './record-batch';
import type { SendThreadSettings, ThreadReply, ThreadRequest } from './threaded-producer';

const port = parentPort;
if (!port) throw new Error('kafka-send-thread runs only as a worker thread');
const settings = workerData as SendThreadSettings;
const post = (reply: ThreadReply) => port.postMessage(reply);

const kafka = new Kafka({
  clientId: settings.clientId,
  brokers: settings.brokers,
  retry: KAFKA_RETRY,
  logLevel: KAFKA_LOG_LEVEL,
  logCreator:
    () =>
    ({ level, log }) => {
      try {
        post({ kind: 'log', entry: { level, log } });
      } catch {
        // A field that cannot be copied to another thread: keep what can.
        post({ kind: 'log', entry: { level, log: JSON.parse(JSON.stringify(log)) as typeof log } });
      }
    },
});
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: JavaCompatiblePartitioner,
  retry: KAFKA_RETRY,
});

function unpack(batch: PackedBatch) {
  const values = Buffer.from(batch.values);
  const messages = batch.topics.map((): Message[] => []);
  batch.keys.forEach((key, i) => messages[batch.topicOf[i]!]!.push({ key, value: values.subarray(i === 0 ? 0 : batch.ends[i - 1], batch.ends[i]) }));
  return { topicMessages: batch.topics.map((topic, t) => ({ topic, messages: messages[t]! })), acks: batch.acks, compression: batch.compression };
}

port.on('message', (request: ThreadRequest) => {
  const work = request.kind === 'connect' ? producer.connect() : request.kind === 'send' ? producer.sendBatch(unpack(request)) : producer.disconnect();
  work.then(
    () => post({ kind: 'done', id: request.id }),
    (err: unknown) => post({ kind: 'failed', id: request.id, failure: describeKafkaFailure(err) }),
  );
});
post({ kind: 'ready' });

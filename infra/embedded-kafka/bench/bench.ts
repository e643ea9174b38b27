/**
 * End-to-end throughput and memory of the embedded broker: kafkajs producer -> broker -> kafkajs consumer group,
 * 500-byte values, batching on. Producer (this process), broker (the standalone runner) and consumer
 * (bench-consumer.ts) are three processes, as in a deployment; the broker's resident memory is read from /proc once
 * every message is retained and consumed.
 *
 *   npm run bench:kafka [-- --messages 1000000 --batch 1000 --in-flight 4 --consumer-min-bytes 1048576]
 *
 * The last line of output is one JSON object (messages_per_s, rss_mb_at_1m, ...).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { freePort, processCpuSeconds, processMemoryMb, waitFor, WORKSPACE_ROOT } from '@nova/testing';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '4' },
    partitions: { type: 'string', default: '3' },
    // fetch.min.bytes of the consumer: 1 MiB, as a throughput-oriented consumer runs (Kafka's default is 1 byte); the
    // broker answers once 1 MiB is there or after maxWaitTimeInMs (100 ms), so each fetch carries ~1 MiB.
    'consumer-min-bytes': { type: 'string', default: '1048576' },
    // Writes V8 CPU profiles of the broker and the consumer process there (run the bench itself under
    // `node --cpu-prof --import tsx` to profile the producer as well).
    'cpu-prof-dir': { type: 'string' },
  },
});
const TOTAL = Number(values.messages);
const BATCH = Number(values.batch);
const IN_FLIGHT = Number(values['in-flight']);
const PARTITIONS = Number(values.partitions);
const VALUE_BYTES = 500;
const PROFILE_ARGS = values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof-dir'])}`] : [];

async function main(): Promise<void> {
  const port = await freePort();
  // `node --import tsx` keeps the broker in this one process, so /proc/<pid> measures exactly the broker.
  const broker = spawn(process.execPath, [...PROFILE_ARGS, '--import', 'tsx', path.join(WORKSPACE_ROOT, 'infra/embedded-kafka/src/main.ts'), '--port', String(port), '--group-initial-rebalance-delay-ms', '0', '--log-level', 'warn'], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // SIGTERM lets the runner stop cleanly (and end the tsx wrapper's child); also on Ctrl-C of the bench.
  const stopBroker = () => broker.kill('SIGTERM');
  process.once('SIGINT', () => (stopBroker(), process.exit(130)));
  process.once('SIGTERM', () => (stopBroker(), process.exit(143)));
  process.once('exit', stopBroker);
  try {
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], clientId: 'bench', logLevel: logLevel.ERROR, retry: { retries: 20, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await waitFor(() => admin.connect().then(() => true), { timeoutMs: 60_000, what: 'the broker' });
    const topic = 'bench';
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    const brokerPid = broker.pid ?? 0;
    process.stderr.write(`bench: broker pid ${brokerPid}, ${TOTAL} messages of ${VALUE_BYTES} bytes\n`);

    // The consumer runs in its own process (bench-consumer.ts) and reports its progress over IPC.
    const consumerProc = spawn(process.execPath, [...PROFILE_ARGS, '--import', 'tsx', path.join(__dirname, 'bench-consumer.ts'), `127.0.0.1:${port}`, topic, String(TOTAL), String(PARTITIONS), values['consumer-min-bytes']], {
      cwd: WORKSPACE_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    process.once('exit', () => consumerProc.kill('SIGKILL'));
    let consumed = 0;
    let lastConsumedAt = 0;
    let consumerReady = false;
    let consumerCpu = 0;
    consumerProc.on('message', (m: { ready?: boolean; consumed?: number; lastConsumedAt?: number; cpuSeconds?: number }) => {
      if (m.ready) consumerReady = true;
      if (m.consumed !== undefined) consumed = m.consumed;
      if (m.lastConsumedAt !== undefined) lastConsumedAt = m.lastConsumedAt;
      if (m.cpuSeconds !== undefined) consumerCpu = m.cpuSeconds;
    });
    await waitFor(() => consumerReady, { timeoutMs: 60_000, what: 'the consumer to join its group' });

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    const value = Buffer.alloc(VALUE_BYTES, 'x');
    const brokerCpuBefore = processCpuSeconds(brokerPid);
    const clientCpuBefore = process.cpuUsage();
    const started = Date.now();
    const progress = setInterval(() => process.stderr.write(`bench: sent ${sent}, consumed ${consumed}, ${Math.round((Date.now() - started) / 1000)} s\n`), 5000);
    let sent = 0;
    const worker = async () => {
      while (sent < TOTAL) {
        const n = Math.min(BATCH, TOTAL - sent);
        sent += n;
        await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: String((sent + i) % 1000), value })) });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const producedAt = Date.now();
    await waitFor(() => consumed >= TOTAL && consumerCpu > 0, { timeoutMs: 600_000, intervalMs: 100, what: `${TOTAL} consumed (at ${consumed})` });
    clearInterval(progress);
    const seconds = (lastConsumedAt - started) / 1000;
    const brokerCpu = processCpuSeconds(brokerPid) - brokerCpuBefore;
    const producerUsage = process.cpuUsage(clientCpuBefore);
    const producerCpu = (producerUsage.user + producerUsage.system) / 1e6;
    const rss = Math.round(processMemoryMb(brokerPid) * 10) / 10;
    const peak = Math.round(processMemoryMb(brokerPid, 'peak') * 10) / 10;
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    const result = {
      messages: TOTAL,
      value_bytes: VALUE_BYTES,
      partitions: PARTITIONS,
      batch: BATCH,
      in_flight: IN_FLIGHT,
      consumer_min_bytes: Number(values['consumer-min-bytes']),
      seconds: Math.round(seconds * 100) / 100,
      messages_per_s: Math.round(TOTAL / seconds),
      produce_messages_per_s: Math.round(TOTAL / ((producedAt - started) / 1000)),
      rss_mb_at_1m: TOTAL >= 1_000_000 ? rss : null,
      broker_rss_mb: rss,
      broker_peak_rss_mb: peak,
      // CPU actually used (independent of how busy the shared machine was): the broker alone and each kafkajs client.
      broker_cpu_s: Math.round(brokerCpu * 10) / 10,
      producer_cpu_s: Math.round(producerCpu * 10) / 10,
      consumer_cpu_s: Math.round(consumerCpu * 10) / 10,
      broker_messages_per_cpu_s: Math.round(TOTAL / Math.max(brokerCpu, 0.01)),
      load_average_1m: Math.round(loadavg()[0] * 10) / 10,
      cpus: cpus().length,
    };
    console.log(JSON.stringify(result));
  } finally {
    stopBroker();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

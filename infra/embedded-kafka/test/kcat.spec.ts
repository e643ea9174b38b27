import { execFile, execFileSync } from 'node:child_process';
import type { Admin } from 'kafkajs';
import { disconnectAll, startBrokerUnderTest, uniqueName, type BrokerUnderTest } from './support/broker-under-test';

/**
 * A second, independent client (librdkafka through Debian's kcat) against the broker: metadata, produce, consume and a
 * balanced consumer group. kcat is required: `.ci/run` installs it; a missing kcat fails this suite on purpose.
 */
function kcatPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v kcat'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('kcat is not installed: run `apt-get install -y kcat` (.ci/run does); this suite does not skip without it');
  }
}

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(kcatPath(), args, { timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

const jsonLines = (out: string): Array<Record<string, unknown>> =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('contract: kcat (librdkafka) as a second client', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;
  let bootstrap: string;

  beforeAll(async () => {
    kcatPath();
    broker = await startBrokerUnderTest();
    bootstrap = broker.brokers.join(',');
    admin = broker.kafka('kcat-admin').admin();
    await admin.connect();
  });
  afterAll(async () => {
    await disconnectAll(admin);
    await broker?.stop();
  });

  it('lists metadata, produces, consumes and commits as a consumer group member', async () => {
    const topic = uniqueName('kcat');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });

    const meta = JSON.parse(await kcat(['-b', bootstrap, '-L', '-J', '-t', topic])) as { brokers: unknown[]; topics: Array<{ topic: string; partitions: unknown[] }> };
    expect(meta.brokers).toHaveLength(broker.embedded ? 1 : meta.brokers.length);
    expect(meta.topics).toEqual([expect.objectContaining({ topic, partitions: expect.any(Array) })]);
    expect(meta.topics[0]?.partitions).toHaveLength(2);

    await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':', '-X', 'enable.idempotence=true', '-z', 'gzip'], 'a:1\nb:2\na:3\nb:4\n');

    const consumed = jsonLines(await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q']));
    expect(consumed).toHaveLength(4);
    for (const key of ['a', 'b']) {
      const mine = consumed.filter((m) => m['key'] === key);
      expect(new Set(mine.map((m) => m['partition'])).size).toBe(1);
    }
    expect(consumed.filter((m) => m['key'] === 'a').map((m) => m['payload'])).toEqual(['1', '3']);

    const groupId = uniqueName('kcat-group');
    const grouped = jsonLines(await kcat(['-b', bootstrap, '-G', groupId, '-X', 'auto.offset.reset=earliest', '-e', '-J', '-q', topic]));
    expect(grouped.map((m) => m['payload']).sort()).toEqual(['1', '2', '3', '4']);
    // librdkafka commits what it consumed when it closes; kafkajs reads the same offsets back.
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const high = await admin.fetchTopicOffsets(topic);
    const committed = new Map(offsets[0]?.partitions.map((p) => [p.partition, p.offset]));
    for (const p of high.filter((h) => h.high !== '0')) expect([p.partition, committed.get(p.partition)]).toEqual([p.partition, p.high]);
  });
});

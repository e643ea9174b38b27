import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, waitFor, WORKSPACE_ROOT } from '@nova/testing';

describe('standalone runner (npm run embedded:kafka -- --port <port>)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('prints its bootstrap address when ready, serves clients, and stops on SIGTERM', async () => {
    const port = await freePort();
    const tsx = path.join(WORKSPACE_ROOT, 'node_modules/tsx/dist/cli.mjs');
    const proc = spawn(process.execPath, [tsx, 'infra/embedded-kafka/src/main.ts', '--port', String(port)], { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));

    const ready = await waitFor(
      () => out.split('\n').flatMap((l) => (l.includes('embedded kafka ready') ? [JSON.parse(l) as { bootstrap: string }] : []))[0],
      { timeoutMs: 30_000, what: `the ready line (output: ${out})` },
    );
    expect(ready.bootstrap).toBe(`127.0.0.1:${port}`);

    const admin = new Kafka({ brokers: [ready.bootstrap], clientId: 'standalone', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'standalone-check' }] });
    const meta = await admin.fetchTopicMetadata({ topics: ['standalone-check'] });
    expect(meta.topics[0]?.partitions).toHaveLength(3);
    await admin.disconnect();

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

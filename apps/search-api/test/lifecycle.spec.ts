import { freePort, spawnTsService, waitFor, waitForHttpOk } from '@nova/testing';

describe('search-api process', () => {
  it('serves /health/live and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const app = spawnTsService('apps/search-api/src/main.ts', {
      PORT: String(port),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      KAFKA_BROKERS: '127.0.0.1:1',
      LOG_LEVEL: 'info',
    });
    await waitForHttpOk(`http://127.0.0.1:${port}/health/live`);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    await waitFor(() => app.logLines().some((l) => l['message'] === 'Stopped cleanly'));
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const app = spawnTsService('apps/search-api/src/main.ts', { PORT: 'not-a-port' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/PORT: expected a TCP port number/);
  });
});

import { createSilentLogger } from '@nova/logger';
import { createMetricsRegistry, startServiceHttp } from './index';

describe('service HTTP server', () => {
  it('serves live, ready (per the check) and metrics on 127.0.0.1', async () => {
    let ready = false;
    const registry = createMetricsRegistry('test-svc');
    const http = await startServiceHttp({
      service: 'test-svc',
      host: '127.0.0.1',
      port: 0,
      logger: createSilentLogger(),
      registry,
      readiness: () => ({ ready, details: { kafka: ready ? 'up' : 'down' } }),
    });
    try {
      const base = `http://127.0.0.1:${http.port}`;
      expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok', service: 'test-svc' });
      const notReady = await fetch(`${base}/health/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ status: 'not_ready', kafka: 'down' });
      ready = true;
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('process_resident_memory_bytes{service="test-svc"}');
    } finally {
      await http.close();
    }
  });
});

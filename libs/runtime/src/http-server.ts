import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from '@nova/logger';
import { Registry, collectDefaultMetrics } from 'prom-client';

export type ReadinessCheck = () => { ready: boolean; details?: Record<string, unknown> };

export interface ServiceHttpOptions {
  service: string;
  host: string;
  port: number;
  logger: Logger;
  registry: Registry;
  /** Readiness for `/health/ready` (default: always ready). */
  readiness?: ReadinessCheck;
  /** Adds the app's own routes (after the health and metrics routes). */
  routes?: (app: Express) => void;
}

/** A Prometheus registry with the process's default metrics (memory, CPU, event loop lag). */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Builds the Express app every service shares: `/health/live`, `/health/ready`, `/metrics`, then the app's routes. */
export function createServiceApp(options: Omit<ServiceHttpOptions, 'host' | 'port' | 'logger'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/health/ready', (_req, res) => {
    const r = options.readiness?.() ?? { ready: true };
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', service: options.service, ...r.details });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', options.registry.contentType);
    res.send(await options.registry.metrics());
  });
  options.routes?.(app);
  return app;
}

/** Starts the service's HTTP server; resolves once it listens. */
export async function startServiceHttp(options: ServiceHttpOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const app = createServiceApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, options.host, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as { port: number }).port;
  options.logger.info('HTTP server listening', { component: 'http', host: options.host, port });
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

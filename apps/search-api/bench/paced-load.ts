/**
 * An open-model load generator: requests leave at a constant rate, one every 1/rate seconds, whatever the answers do
 * (as wrk2 or k6's constant-arrival-rate executor), and each latency is measured from the request's *scheduled* send
 * time, so a server (or this generator) falling behind shows up in the figures instead of being omitted.
 *
 * autocannon's `overallRate` is a per-connection budget per second: each connection sends back to back until it
 * has spent its budget, then waits for the next second, so "200 requests/s over 20 connections" arrives as a burst of
 * 20 concurrent requests at the start of every second. Both are reported by the bench; this one is what
 * "at 200 requests/s" means.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  path: string;
  headers: Record<string, string>;
  /** Called with every answer: status, body and latency in ms, from the scheduled send time to the end of the answer. */
  onAnswer?: (status: number, body: string, latencyMs: number) => void;
}

export interface PacedResult {
  non2xx: number;
  errors: number;
  /** Requests per second actually sent (the schedule's rate unless this process fell behind). */
  sentPerS: number;
}

export async function runPaced(options: { url: string; rate: number; durationS: number; next: () => PacedRequest }): Promise<PacedResult> {
  const { hostname, port } = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const intervalMs = 1000 / options.rate;
  const result: PacedResult = { non2xx: 0, errors: 0, sentPerS: 0 };
  const inFlight: Array<Promise<void>> = [];

  const send = (req: PacedRequest, scheduledAt: number) =>
    new Promise<void>((resolve) => {
      const r = http.get({ host: hostname, port, path: req.path, headers: req.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const latency = performance.now() - scheduledAt;
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) result.non2xx++;
          req.onAnswer?.(status, Buffer.concat(chunks).toString('utf8'), latency);
          resolve();
        });
      });
      r.on('error', () => {
        result.errors++;
        resolve();
      });
    });

  const start = performance.now();
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // Every request whose time has come leaves now, each timed from its own scheduled moment.
    for (; i < total && start + i * intervalMs <= now; i++) inFlight.push(send(options.next(), start + i * intervalMs));
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, start + i * intervalMs - performance.now())));
  }
  result.sentPerS = Math.round((total / ((performance.now() - start) / 1000)) * 10) / 10;
  await Promise.all(inFlight);
  agent.destroy();
  return result;
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from '../backends/circuit-breaker';

export type SearchMetrics = ReturnType<typeof createSearchMetrics>;

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function createSearchMetrics(registry: Registry) {
  const requests = new Counter({
    name: 'nova_search_requests_total',
    help: 'Search API requests by route, HTTP status and the backend that answered (none when no backend was asked)',
    labelNames: ['route', 'status', 'backend'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nova_search_request_duration_seconds',
    help: 'Search API request latency by route and backend',
    labelNames: ['route', 'backend'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const backendErrors = new Counter({
    name: 'nova_search_backend_errors_total',
    help: 'Failed backend calls by backend and kind (timeout, unavailable, error)',
    labelNames: ['backend', 'kind'],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'nova_search_fallbacks_total',
    help: 'Searches answered by PostgreSQL instead of Elasticsearch, by reason (breaker_open, error, timeout, unavailable, disabled)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'nova_search_breaker_state',
    help: 'Circuit breaker state per backend: 0 closed, 1 half-open, 2 open',
    labelNames: ['backend'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'nova_search_rate_limited_total',
    help: 'Requests refused with 429 by limit scope (ip, user)',
    labelNames: ['scope'],
    registers: [registry],
  });
  breaker.set({ backend: 'elasticsearch' }, 0);
  return {
    requests,
    duration,
    backendErrors,
    fallbacks,
    rateLimited,
    setBreaker: (state: BreakerState) => breaker.set({ backend: 'elasticsearch' }, BREAKER_VALUE[state]),
  };
}

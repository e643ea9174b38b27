import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import type { SearchApiConfig } from '@nova/config';
import type { Logger } from '@nova/logger';
import { createSql } from '@nova/postgres';
import { createMetricsRegistry } from '@nova/runtime';
import { createSearchApp, listen } from './app';
import { JwtVerifier } from './auth/jwt-verifier';
import { CircuitBreaker } from './backends/circuit-breaker';
import { ElasticsearchSearchBackend } from './backends/elasticsearch-backend';
import { PostgresSearchBackend } from './backends/postgres-backend';
import type { SearchBackend } from './backends/search-backend';
import { SEARCH_PLANNER_SETTINGS, withSessionSettings } from './backends/session-settings';
import { RateLimiter } from './http/rate-limiter';
import { CursorCodec } from './query/cursor';
import { MembershipCache } from './search/membership-cache';
import { createSearchMetrics } from './search/search-metrics';
import { SearchService } from './search/search-service';

export interface RunningSearchApi {
  port: number;
  url: string;
  close(): Promise<void>;
}

const PROBE_INTERVAL_MS = 2_000;

/** Wires the search API from its configuration and starts listening. */
export async function startSearchApi(config: SearchApiConfig, logger: Logger): Promise<RunningSearchApi> {
  const registry = createMetricsRegistry('search-api');
  const metrics = createSearchMetrics(registry);
  const databaseUrl = withSessionSettings(config.databaseUrl, SEARCH_PLANNER_SETTINGS(config.postgres.cpuIndexTupleCost));
  const sql = createSql(databaseUrl, { max: config.databasePoolSize, applicationName: 'nova-search-api' });
  const postgres = new PostgresSearchBackend(sql, config.postgres.statementTimeoutMs);
  let elasticsearch: SearchBackend | undefined;
  let esClient: Client | undefined;
  if (config.elasticsearch.enabled) {
    esClient = new Client({
      node: config.elasticsearch.url,
      auth: config.elasticsearch.username ? { username: config.elasticsearch.username, password: config.elasticsearch.password ?? '' } : undefined,
      requestTimeout: config.elasticsearch.deadlineMs,
      maxRetries: 0,
    });
    elasticsearch = new ElasticsearchSearchBackend({
      client: esClient,
      messageIndex: config.elasticsearch.messageIndex,
      postIndex: config.elasticsearch.postIndex,
      deadlineMs: config.elasticsearch.deadlineMs,
    });
  }
  const breaker = new CircuitBreaker({
    ...config.breaker,
    onStateChange: (state) => {
      metrics.setBreaker(state);
      logger.warn('Elasticsearch circuit breaker changed state', { component: 'breaker', state });
    },
  });
  if (!config.auth.key) logger.warn('No AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY configured: every authenticated request will get 401', { component: 'auth' });
  if (!config.cursorSecret) logger.warn('No SEARCH_CURSOR_SECRET configured: cursors are valid only until this process stops', { component: 'cursor' });
  const service = new SearchService({
    postgres,
    elasticsearch,
    breaker,
    memberships: new MembershipCache(sql, config.membershipTtlMs, config.postgres.statementTimeoutMs),
    cursors: new CursorCodec(config.cursorSecret ?? randomBytes(32).toString('hex')),
    metrics,
    logger: logger.child({ component: 'search' }),
    esDeadlineMs: config.elasticsearch.deadlineMs,
    pitKeepAliveS: config.elasticsearch.pitKeepAliveS,
  });

  // Readiness is served from the last probe (the health route must not wait on a backend).
  const health = { postgres: false, elasticsearch: false };
  const probe = async () => {
    const signal = AbortSignal.timeout(2_000);
    health.postgres = await postgres.ping().then(() => true, () => false);
    health.elasticsearch = elasticsearch ? await elasticsearch.ping(signal).then(() => true, () => false) : false;
  };
  await probe();
  const timer = setInterval(() => void probe(), PROBE_INTERVAL_MS);
  timer.unref();

  const limits = config.limits;
  const app = createSearchApp({
    service,
    verifier: new JwtVerifier(config.auth),
    ipLimiter: new RateLimiter(limits.ratePerIp, limits.ratePerIp * limits.burstSeconds),
    userLimiter: new RateLimiter(limits.ratePerUser, limits.ratePerUser * limits.burstSeconds),
    metrics,
    registry,
    logger,
    maxQueryLength: limits.maxQueryLength,
    trustProxy: config.trustProxy,
    readiness: () => ({
      ready: health.postgres,
      details: {
        backends: {
          postgres: { reachable: health.postgres },
          elasticsearch: { enabled: Boolean(elasticsearch), reachable: health.elasticsearch, breaker: breaker.state },
        },
      },
    }),
  });
  const http = await listen(app, config.http.host, config.http.port);
  logger.info('HTTP server listening', { component: 'http', host: config.http.host, port: http.port });
  return {
    port: http.port,
    url: `http://${config.http.host}:${http.port}`,
    close: async () => {
      clearInterval(timer);
      await http.close();
      await esClient?.close();
      await sql.end({ timeout: 5 });
    },
  };
}

import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import jwt from 'jsonwebtoken';
import { startEmbeddedElasticsearch, type EmbeddedElasticsearch } from '@nova/embedded-elasticsearch';
import { startEmbeddedKafka } from '@nova/embedded-kafka';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { freePort, spawnTsService, waitForHttpOk, type ChildService } from '@nova/testing';

type EmbeddedKafka = Awaited<ReturnType<typeof startEmbeddedKafka>>;
export type AppName = 'cdc-producer' | 'indexer-worker' | 'search-api';

const AUTH = { secret: randomBytes(32).toString('hex'), issuer: 'nova-e2e', audience: 'nova-search' };

/**
 * The whole chain for end-to-end tests: a database of its own on the harness PostgreSQL, the embedded broker and
 * search server (in this process, so the tests can restart or stop them), and the three apps as real child
 * processes talking over the network.
 */
export class PipelineFixture {
  private readonly apps = new Map<AppName, { service: ChildService; port: number }>();
  readonly es: Client;

  private constructor(
    readonly db: TestDatabase,
    readonly sql: Sql,
    readonly kafka: EmbeddedKafka,
    readonly search: EmbeddedElasticsearch,
    private readonly extraEnv: Partial<Record<AppName, Record<string, string>>>,
  ) {
    this.es = new Client({ node: search.url });
  }

  static async start(extraEnv: Partial<Record<AppName, Record<string, string>>> = {}): Promise<PipelineFixture> {
    const db = await createTestDatabase('e2e');
    const kafka = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 100 });
    const search = await startEmbeddedElasticsearch({});
    const fixture = new PipelineFixture(db, createSql(db.url, { max: 8 }), kafka, search, extraEnv);
    for (const app of ['cdc-producer', 'indexer-worker', 'search-api'] as const) await fixture.startApp(app);
    return fixture;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apps.get('search-api')!.port}`;
  }

  service(app: AppName): ChildService {
    return this.apps.get(app)!.service;
  }

  private env(app: AppName): Record<string, string> {
    const common = { LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
    const brokers = this.kafka.brokers.join(',');
    switch (app) {
      case 'cdc-producer':
        return {
          ...common,
          DATABASE_URL: this.db.url,
          KAFKA_BROKERS: brokers,
          CDC_SLOT_NAME: `slot_${this.db.name}`.slice(0, 63),
          CDC_PUBLICATION_NAME: 'nova_e2e',
          CDC_HEARTBEAT_INTERVAL_MS: '1000',
          ...this.extraEnv[app],
        };
      case 'indexer-worker':
        return {
          ...common,
          KAFKA_BROKERS: brokers,
          ELASTICSEARCH_URL: this.search.url,
          INDEXER_SESSION_TIMEOUT_MS: '6000',
          INDEXER_HEARTBEAT_INTERVAL_MS: '1000',
          INDEXER_RETRY_INITIAL_MS: '50',
          INDEXER_RETRY_MAX_MS: '1000',
          ...this.extraEnv[app],
        };
      case 'search-api':
        return {
          ...common,
          DATABASE_URL: this.db.url,
          ELASTICSEARCH_URL: this.search.url,
          AUTH_JWT_SECRET: AUTH.secret,
          AUTH_JWT_ISSUER: AUTH.issuer,
          AUTH_JWT_AUDIENCE: AUTH.audience,
          SEARCH_CURSOR_SECRET: AUTH.secret,
          SEARCH_RATE_LIMIT_PER_USER: '100000',
          SEARCH_RATE_LIMIT_PER_IP: '100000',
          SEARCH_BREAKER_OPEN_MS: '1000',
          ...this.extraEnv[app],
        };
    }
  }

  /** Starts (or restarts) an app as a child process and waits until it is ready. */
  async startApp(app: AppName): Promise<void> {
    const port = await freePort();
    const service = spawnTsService(`apps/${app}/src/main.ts`, { ...this.env(app), PORT: String(port) });
    this.apps.set(app, { service, port });
    await waitForHttpOk(`http://127.0.0.1:${port}/health/${app === 'search-api' ? 'live' : 'ready'}`, 60_000).catch((err: unknown) => {
      throw new Error(`${app} did not become ready: ${String(err)}\n${service.output().slice(-4000)}`);
    });
  }

  /** SIGKILLs an app (no chance to flush or commit) and starts it again. */
  async killAndRestart(app: AppName): Promise<void> {
    const { service } = this.apps.get(app)!;
    service.kill('SIGKILL');
    await service.exited;
    await this.startApp(app);
  }

  token(userId: string): string {
    return jwt.sign({ sub: userId }, AUTH.secret, { algorithm: 'HS256', issuer: AUTH.issuer, audience: AUTH.audience, expiresIn: '1h' });
  }

  async searchApi(path: string, userId?: string): Promise<{ status: number; body: SearchResponse }> {
    const res = await fetch(`${this.apiUrl}${path}`, { headers: userId ? { authorization: `Bearer ${this.token(userId)}` } : {} });
    return { status: res.status, body: (await res.json()) as SearchResponse };
  }

  async stop(): Promise<void> {
    for (const { service } of this.apps.values()) {
      service.kill('SIGTERM');
      const timer = setTimeout(() => service.kill('SIGKILL'), 10_000);
      await service.exited;
      clearTimeout(timer);
    }
    await this.sql.end();
    await this.es.close();
    await this.search.stop();
    await this.kafka.stop();
    await this.db.drop();
  }
}

export interface SearchResponse {
  backend: 'elasticsearch' | 'postgres';
  hits: Array<{ id: string; kind: string; snippet: string }>;
  next_cursor: string | null;
  error?: { code: string; message: string };
}

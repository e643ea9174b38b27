import { randomUUID } from 'node:crypto';
import { ElasticsearchContainer, type StartedElasticsearchContainer } from '@testcontainers/elasticsearch';
import { KafkaContainer, type StartedKafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import jwt from 'jsonwebtoken';
import { Kafka, logLevel } from 'kafkajs';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { REPO_ROOT } from '../src/compose';
import { BUILT, IMAGES } from './images';

export type AppName = 'cdc-producer' | 'indexer-worker' | 'search-api';

export const PG = { db: 'nova', user: 'nova', password: 'nova' } as const;
export const ES_PASSWORD = 'nova-containers-test';
export const JWT = { secret: 'nova-containers-test-jwt-secret-000000001', issuer: 'nova', audience: 'nova-search' } as const;
export const DEBEZIUM_TOPICS = ['nova.public.messages', 'nova.public.posts'];
export const NOVA_TOPICS = ['message_persisted', 'message_deleted', 'post_persisted', 'post_deleted'];

/** Real PostgreSQL, Kafka and Elasticsearch on one Docker network, reachable by the same names as in compose. */
export class Stack {
  readonly started: StartedTestContainer[] = [];
  network!: StartedNetwork;
  postgres!: StartedPostgreSqlContainer;
  kafka!: StartedKafkaContainer;
  elasticsearch!: StartedElasticsearchContainer;
  readonly apps = new Map<AppName, StartedTestContainer>();

  async start(): Promise<void> {
    this.network = await new Network().start();
    [this.postgres, this.kafka, this.elasticsearch] = await Promise.all([
      new PostgreSqlContainer(IMAGES.postgres)
        .withDatabase(PG.db)
        .withUsername(PG.user)
        .withPassword(PG.password)
        .withCommand(['postgres', '-c', 'wal_level=logical', '-c', 'max_replication_slots=10', '-c', 'max_wal_senders=10', '-c', 'max_slot_wal_keep_size=1GB'])
        .withNetwork(this.network)
        .withNetworkAliases('postgres')
        .start(),
      new KafkaContainer(IMAGES.kafka).withKraft().withNetwork(this.network).withNetworkAliases('kafka').start(),
      new ElasticsearchContainer(IMAGES.elasticsearch).withPassword(ES_PASSWORD).withNetwork(this.network).withNetworkAliases('elasticsearch').start(),
    ]);
    this.started.push(this.postgres, this.kafka, this.elasticsearch);
    await this.migrate();
    await this.createTopics();
  }

  /** The compose `migrate` job: its image, run once to completion against the database. */
  private async migrate(): Promise<void> {
    const image = await GenericContainer.fromDockerfile(REPO_ROOT, BUILT.migrate.dockerfile).build(BUILT.migrate.tag, { deleteOnExit: false });
    const job = await image
      .withNetwork(this.network)
      .withEnvironment({ DATABASE_URL: this.internalDatabaseUrl })
      .withWaitStrategy(Wait.forOneShotStartup())
      .start();
    this.started.push(job);
  }

  /** What compose's kafka-init does: every topic with 3 partitions, plus its dead-letter topic. */
  private async createTopics(): Promise<void> {
    const admin = this.kafkaClient().admin();
    await admin.connect();
    try {
      const names = [...NOVA_TOPICS, ...DEBEZIUM_TOPICS].flatMap((t) => [t, `${t}.dlq`]);
      await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) });
    } finally {
      await admin.disconnect();
    }
  }

  get internalDatabaseUrl(): string {
    return `postgres://${PG.user}:${PG.password}@postgres:5432/${PG.db}`;
  }

  kafkaClient(): Kafka {
    return new Kafka({ brokers: [`${this.kafka.getHost()}:${this.kafka.getMappedPort(9093)}`], clientId: 'containers-suite', logLevel: logLevel.NOTHING });
  }

  appEnv(app: AppName, extra: Record<string, string> = {}): Record<string, string> {
    const common = { LOG_LEVEL: 'info', HOST: '0.0.0.0', PORT: String(BUILT[app].port) };
    const es = { ELASTICSEARCH_URL: 'http://elasticsearch:9200', ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: ES_PASSWORD };
    if (app === 'cdc-producer') return { ...common, DATABASE_URL: this.internalDatabaseUrl, KAFKA_BROKERS: 'kafka:9092', ...extra };
    if (app === 'indexer-worker') return { ...common, ...es, KAFKA_BROKERS: 'kafka:9092', KAFKA_DEBEZIUM_TOPICS: DEBEZIUM_TOPICS.join(','), ...extra };
    return {
      ...common,
      ...es,
      DATABASE_URL: this.internalDatabaseUrl,
      AUTH_JWT_SECRET: JWT.secret,
      AUTH_JWT_ISSUER: JWT.issuer,
      AUTH_JWT_AUDIENCE: JWT.audience,
      ...extra,
    };
  }

  /** Builds the app from its own Dockerfile and starts it; healthy = the image's HEALTHCHECK (its /health/ready) passed. */
  async startApp(app: AppName, extra: Record<string, string> = {}): Promise<StartedTestContainer> {
    const image = await GenericContainer.fromDockerfile(REPO_ROOT, BUILT[app].dockerfile).build(BUILT[app].tag, { deleteOnExit: false });
    const container = await image
      .withNetwork(this.network)
      .withNetworkAliases(app)
      .withEnvironment(this.appEnv(app, extra))
      .withExposedPorts(BUILT[app].port)
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(180_000)
      .start();
    this.started.push(container);
    this.apps.set(app, container);
    return container;
  }

  appUrl(app: AppName, path: string): string {
    const c = this.apps.get(app);
    if (!c) throw new Error(`${app} is not running`);
    return `http://${c.getHost()}:${c.getMappedPort(BUILT[app].port)}${path}`;
  }

  async stop(): Promise<void> {
    for (const c of this.started.reverse()) await c.stop().catch(() => undefined);
    await this.network?.stop().catch(() => undefined);
  }
}

export function bearer(userId: string): string {
  return jwt.sign({ sub: userId }, JWT.secret, { algorithm: 'HS256', issuer: JWT.issuer, audience: JWT.audience, expiresIn: 600 });
}

export function uniqueWord(): string {
  return `zq${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

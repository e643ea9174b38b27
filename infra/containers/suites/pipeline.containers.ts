/**
 * The whole chain on real images: PostgreSQL 15 (wal_level=logical), Kafka 3.9 (KRaft), Elasticsearch 9, the migrate job
 * and the three apps built from their own Dockerfiles. Then the same stack with Debezium's Kafka Connect in place of
 * our producer. Run by `npm run test:containers` only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createSql, type Sql } from '@nova/postgres';
import { waitFor } from '@nova/testing';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { REPO_ROOT } from '../src/compose';
import { dashboardMetricNames } from '../src/dashboard-queries';
import { IMAGES } from './images';
import { bearer, PG, Stack, uniqueWord, type AppName } from './stack';

const stack = new Stack();
let sql: Sql;
let alice: string;
let conversation: string;

async function searchMessages(word: string): Promise<{ backend: string; text: string }> {
  const res = await fetch(stack.appUrl('search-api', `/api/v1/search/messages?q=${word}`), { headers: { authorization: `Bearer ${bearer(alice)}` } });
  const body = (await res.json()) as { backend?: string };
  if (res.status !== 200) throw new Error(`search answered ${res.status}: ${JSON.stringify(body)}`);
  return { backend: String(body.backend), text: JSON.stringify(body) };
}

async function searchPosts(word: string): Promise<string> {
  const res = await fetch(stack.appUrl('search-api', `/api/v1/search/posts?q=${word}`));
  if (res.status !== 200) throw new Error(`search answered ${res.status}`);
  return JSON.stringify(await res.json());
}

beforeAll(async () => {
  await stack.start();
  sql = createSql(stack.postgres.getConnectionUri(), { max: 2 });
  alice = randomUUID();
  conversation = randomUUID();
  await sql`insert into users (id, username, display_name) values (${alice}, ${`alice_${alice.slice(0, 8)}`}, 'Alice')`;
  await sql`insert into conversations (id, title) values (${conversation}, 'containers')`;
  await sql`insert into conversation_members (conversation_id, user_id) values (${conversation}, ${alice})`;
  for (const app of ['cdc-producer', 'indexer-worker', 'search-api'] as AppName[]) await stack.startApp(app);
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await stack.stop();
});

describe('producer profile: PostgreSQL -> cdc-producer -> Kafka -> indexer-worker -> Elasticsearch -> search-api', () => {
  it('applied the migrations through the migrate image', async () => {
    const rows = await sql<{ name: string }[]>`select name from schema_migrations order by name`;
    expect(rows.map((r) => r.name)[0]).toBe('0001_source_schema.sql');
  });

  it('makes a committed message searchable, then hides it after a soft delete', async () => {
    const word = uniqueWord();
    const id = randomUUID();
    await sql`insert into messages (id, conversation_id, sender_id, content) values (${id}, ${conversation}, ${alice}, ${`hello ${word}`})`;
    await waitFor(async () => (await searchMessages(word)).text.includes(id), { timeoutMs: 120_000, intervalMs: 250, what: 'message searchable' });
    expect((await searchMessages(word)).backend).toBe('elasticsearch');
    await sql`update messages set deleted_at = now() where id = ${id}`;
    await waitFor(async () => !(await searchMessages(word)).text.includes(id), { timeoutMs: 120_000, intervalMs: 250, what: 'message hidden' });
  });

  it('makes a public post searchable without a token', async () => {
    const word = uniqueWord();
    const id = randomUUID();
    await sql`insert into posts (id, author_id, title, content, visibility) values (${id}, ${alice}, 'title', ${`post ${word}`}, 'public')`;
    await waitFor(async () => (await searchPosts(word)).includes(id), { timeoutMs: 120_000, intervalMs: 250, what: 'post searchable' });
  });

  it('exports every metric the Grafana dashboard and the alert rules query (scraped from the running images)', async () => {
    const exposed = new Set<string>();
    for (const app of ['cdc-producer', 'indexer-worker', 'search-api'] as AppName[]) {
      const text = await (await fetch(stack.appUrl(app, '/metrics'))).text();
      for (const m of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
        const [name, type] = [m[1], m[2]];
        exposed.add(name);
        if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exposed.add(name + s);
        if (type === 'summary') for (const s of ['_sum', '_count']) exposed.add(name + s);
      }
    }
    const missing = dashboardMetricNames().filter((n) => n !== 'up' && !exposed.has(n));
    expect(missing).toEqual([]);
  });
});

describe('debezium profile: PostgreSQL -> Debezium (Kafka Connect) -> Kafka -> indexer-worker', () => {
  let connect: StartedTestContainer;

  beforeAll(async () => {
    // Our producer off, as in the compose profile.
    const producer = stack.apps.get('cdc-producer');
    if (producer) await producer.stop();
    stack.apps.delete('cdc-producer');
    connect = await new GenericContainer(IMAGES.debeziumConnect)
      .withNetwork(stack.network)
      .withNetworkAliases('kafka-connect')
      .withEnvironment({
        BOOTSTRAP_SERVERS: 'kafka:9092',
        GROUP_ID: 'nova-connect',
        CONFIG_STORAGE_TOPIC: 'nova_connect_configs',
        OFFSET_STORAGE_TOPIC: 'nova_connect_offsets',
        STATUS_STORAGE_TOPIC: 'nova_connect_statuses',
        CONFIG_STORAGE_REPLICATION_FACTOR: '1',
        OFFSET_STORAGE_REPLICATION_FACTOR: '1',
        STATUS_STORAGE_REPLICATION_FACTOR: '1',
        CONNECT_CONFIG_PROVIDERS: 'env',
        CONNECT_CONFIG_PROVIDERS_ENV_CLASS: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        POSTGRES_PASSWORD: PG.password,
      })
      .withExposedPorts(8083)
      .withWaitStrategy(Wait.forHttp('/connector-plugins', 8083).forStatusCode(200))
      .withStartupTimeout(180_000)
      .start();
    stack.started.push(connect);
    const config = readFileSync(path.join(REPO_ROOT, 'infra/debezium/nova-postgres-connector.json'), 'utf8');
    const url = `http://${connect.getHost()}:${connect.getMappedPort(8083)}/connectors/nova-postgres/config`;
    await waitFor(async () => (await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: config })).ok, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      what: 'connector registered',
    });
  });

  it('runs the connector with its task', async () => {
    const status = `http://${connect.getHost()}:${connect.getMappedPort(8083)}/connectors/nova-postgres/status`;
    await waitFor(
      async () => {
        const s = (await (await fetch(status)).json()) as { connector?: { state: string }; tasks?: { state: string }[] };
        return s.connector?.state === 'RUNNING' && s.tasks?.[0]?.state === 'RUNNING';
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'connector and task RUNNING' },
    );
  });

  it('makes a message committed after the switch searchable through Debezium’s topic', async () => {
    const word = uniqueWord();
    const id = randomUUID();
    await sql`insert into messages (id, conversation_id, sender_id, content) values (${id}, ${conversation}, ${alice}, ${`debezium ${word}`})`;
    await waitFor(async () => (await searchMessages(word)).text.includes(id), { timeoutMs: 180_000, intervalMs: 500, what: 'message searchable via Debezium' });
    await sql`update messages set content = ${`edited ${word}`} where id = ${id}`;
    await waitFor(async () => (await searchMessages(word)).text.includes('edited'), { timeoutMs: 120_000, intervalMs: 500, what: 'edit visible' });
  });
});

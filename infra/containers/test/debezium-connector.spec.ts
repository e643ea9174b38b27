import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { activeServices, asText, composeConfig, REPO_ROOT, type ComposeConfig } from '../src/compose';
import { classifyConnectorKey } from '../src/debezium-known-keys';

const connector = JSON.parse(readFileSync(path.join(REPO_ROOT, 'infra/debezium/nova-postgres-connector.json'), 'utf8')) as Record<string, unknown>;

let compose: ComposeConfig;
beforeAll(() => {
  compose = composeConfig();
});

describe('infra/debezium/nova-postgres-connector.json', () => {
  it('uses only documented keys (Debezium PostgreSQL connector and Kafka Connect), all with string values', () => {
    const unknown = Object.keys(connector).filter((k) => !classifyConnectorKey(k).known);
    expect(unknown).toEqual([]);
    for (const [key, value] of Object.entries(connector)) expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
  });

  it('knows a typo when it sees one (the key list is not a catch-all)', () => {
    for (const typo of ['slot_name', 'plugin.nmae', 'publication.autocreate', 'decimal.handling', 'heartbeat.interval', 'topic.creation.default.partition.count']) {
      expect(classifyConnectorKey(typo).known).toBe(false);
    }
  });

  it('streams the indexed tables through pgoutput with a named slot and publication', () => {
    expect(connector['connector.class']).toBe('io.debezium.connector.postgresql.PostgresConnector');
    expect(connector['plugin.name']).toBe('pgoutput');
    expect(connector['slot.name']).toMatch(/^[a-z0-9_]{1,63}$/); // PostgreSQL slot naming rule
    expect(connector['publication.name']).toMatch(/^[a-z_][a-z0-9_]*$/);
    expect(connector['publication.autocreate.mode']).toBe('filtered');
    expect(connector['table.include.list']).toBe('public.messages,public.posts');
    expect(connector['column.exclude.list']).toBe('public.messages.search_tsv,public.posts.search_tsv');
    expect(connector['decimal.handling.mode']).toBe('string');
    expect(Number(connector['heartbeat.interval.ms'])).toBeGreaterThan(0);
    expect(connector['key.converter']).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(connector['value.converter']).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(connector['topic.creation.default.partitions']).toBe('3');
  });

  it('does not share the slot or publication with our producer', () => {
    const producer = compose.services['cdc-producer'].environment ?? {};
    expect(connector['slot.name']).not.toBe(producer['CDC_SLOT_NAME']);
    expect(connector['publication.name']).not.toBe(producer['CDC_PUBLICATION_NAME']);
  });

  it('fits the compose stack: database, topics the indexer reads, secret from the worker environment, registration URL', () => {
    const pg = compose.services['postgres'].environment ?? {};
    expect(connector['database.hostname']).toBe('postgres');
    expect(connector['database.dbname']).toBe(pg['POSTGRES_DB']);
    expect(connector['database.user']).toBe(pg['POSTGRES_USER']);
    const secretRef = /^\$\{env:([A-Z_]+)\}$/.exec(String(connector['database.password']));
    expect(secretRef).not.toBeNull();
    const connect = compose.services['kafka-connect'].environment ?? {};
    expect(connect['CONNECT_CONFIG_PROVIDERS']).toBe('env');
    expect(connect['CONNECT_CONFIG_PROVIDERS_ENV_CLASS']).toBe('org.apache.kafka.common.config.provider.EnvVarConfigProvider');
    expect(connect[secretRef?.[1] ?? '(none)']).toBe(pg['POSTGRES_PASSWORD']);

    const prefix = String(connector['topic.prefix']);
    const tables = String(connector['table.include.list']).split(',');
    const indexerTopics = compose.services['indexer-worker'].environment?.['KAFKA_DEBEZIUM_TOPICS'];
    expect(indexerTopics).toBe(tables.map((t) => `${prefix}.${t}`).join(','));
    expect(activeServices(compose, ['debezium'])).toContain('indexer-worker');

    const register = asText(compose.services['debezium-connector'].command);
    expect(register).toContain(`http://kafka-connect:8083/connectors/${String(connector['name'])}/config`);
    expect(register).toMatch(/-X PUT/);
    expect(register).toContain('@/debezium/nova-postgres-connector.json');
  });

  describe('debezium-connector service scripts (run with sh and a stub curl)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'debezium-connector-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function withStubs(curlBody: string, sleepBody = 'exit 0'): Record<string, string> {
      for (const [name, body] of [['curl', curlBody], ['sleep', sleepBody]]) {
        writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
        chmodSync(path.join(dir, name), 0o755);
      }
      return { PATH: `${dir}:${process.env['PATH'] ?? ''}` };
    }
    const status = (connectorState: string, taskState: string) =>
      `{"name":"nova-postgres","connector":{"state":"${connectorState}","worker_id":"10.0.0.5:8083"},"tasks":[{"id":0,"state":"${taskState}","worker_id":"10.0.0.5:8083"}],"type":"source"}`;

    it('registers with one PUT of the mounted file, then stays up', () => {
      const log = path.join(dir, 'curl.log');
      const env = withStubs(`echo "$*" >> ${log}; echo '{}'`, `echo "sleep $*" >> ${log}`);
      const res = spawnSync('sh', ['-c', asText(compose.services['debezium-connector'].command)], { env, encoding: 'utf8' });
      expect(res.status).toBe(0);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls).toHaveLength(2);
      expect(calls[0]).toMatch(/-X PUT .*--data @\/debezium\/nova-postgres-connector\.json http:\/\/kafka-connect:8083\/connectors\/nova-postgres\/config$/);
      expect(calls[1]).toMatch(/^sleep \d+$/);
    });

    it.each([
      ['RUNNING', 'RUNNING', 0],
      ['RUNNING', 'FAILED', 1],
      ['PAUSED', 'RUNNING', 1],
      ['UNASSIGNED', 'UNASSIGNED', 1],
    ])('health check: connector %s, task %s -> exit %s', (c, t, code) => {
      const env = withStubs(`echo '${status(c, t)}'`);
      const test = compose.services['debezium-connector'].healthcheck?.test;
      expect(Array.isArray(test) && test[0]).toBe('CMD-SHELL');
      const res = spawnSync('sh', ['-c', asText(Array.isArray(test) ? test.slice(1) : [])], { env, encoding: 'utf8' });
      expect(res.status === 0 ? 0 : 1).toBe(code);
    });
  });
});

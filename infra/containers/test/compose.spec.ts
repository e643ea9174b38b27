import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIndexerConfig, loadProducerConfig, loadSearchApiConfig } from '@nova/config';
import { activeServices, asText, composeConfig, composeProfiles, defaultProfiles, readYamlFile, REPO_ROOT, type ComposeConfig } from '../src/compose';

const APPS = { 'cdc-producer': 8087, 'indexer-worker': 8088, 'search-api': 8086 } as const;
const INFRA = ['postgres', 'migrate', 'kafka', 'kafka-init', 'elasticsearch', 'prometheus', 'grafana'];
const ONE_SHOT = ['migrate', 'kafka-init'];

// Every variable name the config loaders know (their zod schemas), read from libs/config.
const KNOWN_ENV = new Set(
  ['env.ts', 'shared.config.ts', 'producer.config.ts', 'indexer.config.ts', 'search-api.config.ts'].flatMap((f) =>
    [...readFileSync(path.join(REPO_ROOT, 'libs/config/src', f), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]),
  ),
);

let config: ComposeConfig;
beforeAll(() => {
  // Fails (does not skip) when Debian's docker-compose is missing: ComposeToolError COMPOSE_TOOL_MISSING.
  config = composeConfig();
});

describe('docker-compose config (Debian docker-compose 1.29: schema, interpolation, anchors)', () => {
  it('accepts the file and names exactly the two CDC profiles, our producer being the default', () => {
    expect(composeProfiles().sort()).toEqual(['debezium', 'producer']);
    expect(defaultProfiles()).toEqual(['producer']);
  });

  it('starts our producer by default and Debezium instead of it in the debezium profile', () => {
    const byDefault = activeServices(config, defaultProfiles());
    const debezium = activeServices(config, ['debezium']);
    expect(byDefault).toEqual([...INFRA, 'cdc-producer', 'indexer-worker', 'search-api'].sort());
    expect(debezium).toEqual([...INFRA, 'kafka-connect', 'debezium-connector', 'indexer-worker', 'search-api'].sort());
  });

  it.each([['producer'], ['debezium']])('profile %s: every dependency is started too and waited for properly', (profile) => {
    const active = new Set(activeServices(config, [profile]));
    for (const name of active) {
      for (const [dep, { condition }] of Object.entries(config.services[name].depends_on ?? {})) {
        expect({ service: name, dep, active: active.has(dep) }).toEqual({ service: name, dep, active: true });
        const expected = ONE_SHOT.includes(dep) ? 'service_completed_successfully' : 'service_healthy';
        expect({ service: name, dep, condition }).toEqual({ service: name, dep, condition: expected });
      }
    }
  });

  it.each([['producer'], ['debezium']])('profile %s: every one-shot job is awaited by a running service (else `up --wait` fails, docker/compose#10596)', (profile) => {
    const active = activeServices(config, [profile]);
    const oneShots = active.filter((n) => config.services[n].restart === 'no');
    expect(oneShots.sort()).toEqual([...ONE_SHOT].sort());
    for (const job of oneShots) {
      const adopters = active.filter((n) => !oneShots.includes(n) && config.services[n].depends_on?.[job]?.condition === 'service_completed_successfully');
      expect({ job, adopted: adopters.length > 0 }).toEqual({ job, adopted: true });
    }
  });

  it('pins every image to an exact version (no latest, no bare major)', () => {
    for (const [name, svc] of Object.entries(config.services)) {
      const image = svc.image ?? '';
      if (svc.build) {
        expect({ name, image }).toEqual({ name, image: `nova/${name}:dev` });
        expect(svc.build.context).toBe(REPO_ROOT);
        expect(existsSync(path.join(REPO_ROOT, svc.build.dockerfile))).toBe(true);
        continue;
      }
      expect({ name, pinned: /:v?\d+\.\d+(\.\d+)?([.-][\w.]+)?$/.test(image) }).toEqual({ name, pinned: true });
    }
  });

  it('matches the client libraries: Elasticsearch major = @elastic/elasticsearch major, PostgreSQL 15 or 16, Kafka 3.x/4.x', () => {
    const clientMajor = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/@elastic/elasticsearch/package.json'), 'utf8')).version.split('.')[0];
    expect(config.services['elasticsearch'].image).toMatch(new RegExp(`^docker\\.elastic\\.co/elasticsearch/elasticsearch:${clientMajor}\\.`));
    expect(config.services['postgres'].image).toMatch(/^postgres:1[56]\.\d+/);
    expect(config.services['kafka'].image).toMatch(/^apache\/kafka:[34]\.\d+\.\d+$/);
    expect(config.services['kafka-init'].image).toBe(config.services['kafka'].image);
  });

  it('gives every long-running service a health check and binds published ports to 127.0.0.1 only', () => {
    for (const [name, svc] of Object.entries(config.services)) {
      if (ONE_SHOT.includes(name)) {
        expect({ name, restart: svc.restart }).toEqual({ name, restart: 'no' });
        continue;
      }
      if (!svc.build) expect({ name, healthcheck: Boolean(svc.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      for (const port of svc.ports ?? []) {
        const hostIp = typeof port === 'string' ? port.split(':')[0] : port.host_ip;
        expect({ name, hostIp }).toEqual({ name, hostIp: '127.0.0.1' });
      }
    }
  });

  it('runs PostgreSQL with logical decoding and a cap on the WAL a slot may pin; migrations through our runner', () => {
    const pg = asText(config.services['postgres'].command);
    expect(pg).toMatch(/wal_level=logical/);
    expect(pg).toMatch(/max_slot_wal_keep_size=\d+[MG]B/);
    expect(pg).toMatch(/max_replication_slots=\d+/);
    const migrate = config.services['migrate'];
    expect(migrate.build?.dockerfile).toBe('infra/docker/migrate/Dockerfile');
    expect(migrate.environment?.['DATABASE_URL']).toBe(config.services['search-api'].environment?.['DATABASE_URL']);
    const mountsInitDb = (config.services['postgres'].volumes ?? []).some((v) => JSON.stringify(v).includes('docker-entrypoint-initdb.d'));
    expect(mountsInitDb).toBe(false);
  });

  it('runs Kafka in KRaft mode with broker auto-creation off', () => {
    const env = config.services['kafka'].environment ?? {};
    expect(env['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe('1@kafka:9093');
    expect(Object.keys(env).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
    expect(env['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(env['KAFKA_LISTENERS']).toContain('INTERNAL://:19092');
    expect(env['KAFKA_ADVERTISED_LISTENERS']).toContain('INTERNAL://kafka:19092');
  });

  it('kafka-init creates every topic the apps use, and its dead-letter topic, with 3 partitions (script run with a stub CLI)', () => {
    const init = config.services['kafka-init'];
    const script = asText(init.command).replace(/\/opt\/kafka\/bin\/kafka-topics\.sh/g, '"$KAFKA_TOPICS_STUB"');
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-init-'));
    try {
      const stub = path.join(dir, 'kafka-topics.sh');
      const log = path.join(dir, 'calls.log');
      writeFileSync(stub, `#!/bin/bash\necho "$*" >> "${log}"\n`);
      chmodSync(stub, 0o755);
      const res = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: process.env['PATH'] ?? '', ...init.environment, KAFKA_TOPICS_STUB: stub }, encoding: 'utf8' });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      const created = new Map<string, string>();
      for (const call of readFileSync(log, 'utf8').trim().split('\n')) {
        const topic = /--topic (\S+)/.exec(call)?.[1];
        if (call.includes('--create') && topic) created.set(topic, call);
      }
      for (const call of created.values()) expect(call).toMatch(/--partitions 3 --replication-factor 1/);

      const producerTopics = Object.values(loadProducerConfig({ DATABASE_URL: 'postgres://x@h/db', KAFKA_BROKERS: 'k:1' }).kafka.topics);
      const indexer = config.services['indexer-worker'].environment ?? {};
      const debeziumTopics = (indexer['KAFKA_DEBEZIUM_TOPICS'] ?? '').split(',');
      expect(debeziumTopics).toEqual(['nova.public.messages', 'nova.public.posts']);
      for (const topic of [...producerTopics, ...debeziumTopics]) {
        expect(created.has(topic)).toBe(true);
        expect(created.get(`${topic}.dlq`)).toMatch(/retention\.ms=/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('states Elasticsearch security explicitly and gives the apps the matching credentials', () => {
    const es = config.services['elasticsearch'].environment ?? {};
    expect(es['discovery.type']).toBe('single-node');
    expect(es['xpack.security.enabled']).toBe('true');
    expect(es['xpack.security.http.ssl.enabled']).toBe('false');
    expect(es['xpack.security.transport.ssl.enabled']).toBe('false');
    for (const app of ['indexer-worker', 'search-api']) {
      const env = config.services[app].environment ?? {};
      expect({ app, url: env['ELASTICSEARCH_URL'], user: env['ELASTICSEARCH_USERNAME'], password: env['ELASTICSEARCH_PASSWORD'] }).toEqual({
        app,
        url: 'http://elasticsearch:9200',
        user: 'elastic',
        password: es['ELASTIC_PASSWORD'],
      });
    }
  });

  it.each(Object.entries(APPS))('%s: its environment passes the app’s own config loader, names only known variables, binds 0.0.0.0', (app, port) => {
    const env = config.services[app].environment ?? {};
    expect(env['HOST']).toBe('0.0.0.0');
    expect(env['PORT']).toBe(String(port));
    const unknown = Object.keys(env).filter((k) => !KNOWN_ENV.has(k));
    expect(unknown).toEqual([]);
    const loaded =
      app === 'cdc-producer' ? loadProducerConfig(env) : app === 'indexer-worker' ? loadIndexerConfig(env) : loadSearchApiConfig(env);
    expect(loaded.http).toEqual({ host: '0.0.0.0', port });
    if (app === 'search-api') expect(loadSearchApiConfig(env).auth.key).toBeTruthy();
    if (app === 'indexer-worker') expect(loadIndexerConfig(env).consumer.debeziumTopics).toEqual(['nova.public.messages', 'nova.public.posts']);
  });

  it('has Prometheus scrape every app at the port it listens on, and mounts files that exist', () => {
    const prom = readYamlFile<{ scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[] }>(
      path.join(REPO_ROOT, 'infra/prometheus/prometheus.yml'),
    );
    const targets = prom.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets.map((t) => `${t}${j.metrics_path ?? '/metrics'}`)));
    expect(targets.sort()).toEqual(Object.entries(APPS).map(([app, port]) => `${app}:${port}/metrics`).sort());
    for (const svc of ['prometheus', 'grafana', 'debezium-connector']) {
      for (const v of config.services[svc].volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : v.source;
        if (source?.startsWith('/')) expect({ svc, source, exists: existsSync(source) }).toEqual({ svc, source, exists: true });
      }
    }
  });
});

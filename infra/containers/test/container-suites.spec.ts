import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeConfig, REPO_ROOT } from '../src/compose';
import { loadIndexerConfig, loadProducerConfig, loadSearchApiConfig } from '@nova/config';
import { BUILT, IMAGES } from '../suites/images';
import { Stack } from '../suites/stack';

const npmTestJest = require('../jest.config.cjs') as { testMatch: string[] };
const containersJest = require('../jest.containers.cjs') as { testMatch: string[] };

describe('npm run test:containers (suites that need Docker)', () => {
  it('is a root script running the runner that checks for a container runtime first', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test:containers']).toBe('tsx infra/containers/scripts/run-container-suites.ts');
    expect(pkg.scripts['test']).not.toContain('test:containers');
  });

  it('is never part of npm test: the suites match only the containers Jest config, and results are not written for the count', () => {
    expect(containersJest.testMatch).toEqual(['<rootDir>/suites/**/*.containers.ts']);
    for (const pattern of npmTestJest.testMatch) expect(pattern).not.toContain('suites');
    const runner = readFileSync(path.join(REPO_ROOT, 'infra/containers/scripts/run-container-suites.ts'), 'utf8');
    expect(runner).not.toMatch(/'--json'|'--outputFile'|jest-project\.cjs/);
  });

  it('starts the images the compose stack runs (Kafka: Confluent 7.9 = Apache Kafka 3.9, which @testcontainers/kafka drives)', () => {
    const compose = composeConfig();
    expect(IMAGES.postgres).toBe(compose.services['postgres'].image);
    expect(IMAGES.elasticsearch).toBe(compose.services['elasticsearch'].image);
    expect(IMAGES.debeziumConnect).toBe(compose.services['kafka-connect'].image);
    expect(compose.services['kafka'].image).toBe('apache/kafka:3.9.1');
    expect(IMAGES.kafka).toBe('confluentinc/cp-kafka:7.9.0');
    expect(BUILT.migrate.dockerfile).toBe(compose.services['migrate'].build?.dockerfile);
    for (const app of ['cdc-producer', 'indexer-worker', 'search-api'] as const) {
      expect(BUILT[app].dockerfile).toBe(compose.services[app].build?.dockerfile);
      expect(String(BUILT[app].port)).toBe(compose.services[app].environment?.['PORT']);
    }
  });

  it('gives the apps an environment their own config loaders accept (as compose does)', () => {
    const stack = new Stack();
    expect(loadProducerConfig(stack.appEnv('cdc-producer')).http).toEqual({ host: '0.0.0.0', port: 8087 });
    expect(loadIndexerConfig(stack.appEnv('indexer-worker')).consumer.debeziumTopics).toEqual(['nova.public.messages', 'nova.public.posts']);
    expect(loadSearchApiConfig(stack.appEnv('search-api')).auth.key).toBeTruthy();
  });
});

/**
 * `npm run test:containers`: the suites that need real images (testcontainers). Without a container runtime it prints
 * one line saying so and exits 0, having run and counted nothing. With one, it runs:
 *   1. infra/containers/suites/*.containers.ts: the end-to-end pipeline on real PostgreSQL, Kafka and Elasticsearch,
 *      with the three apps from their own Dockerfiles (and the Debezium variant);
 *   2. the embedded stand-ins' contract suites pointed at a real Kafka and a real Elasticsearch (started here).
 * Results are never written to dist/test-results, so `npm test` does not count them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { probeContainerRuntime } from '../src/container-runtime';
import { REPO_ROOT } from '../src/compose';
import { startContractServices, STAND_IN_CONTRACT_SUITES } from '../suites/contract-services';

function jest(config: string, env: Record<string, string>, extra: string[] = []): number {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--config', config, '--runInBand', ...extra], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return res.status ?? 1;
}

async function main(): Promise<void> {
  const probe = await probeContainerRuntime();
  if (!probe.available) {
    process.stdout.write(`test:containers: no container runtime (Docker) reachable (${probe.reason}); nothing was run or counted.\n`);
    return;
  }
  let status = jest(path.join(REPO_ROOT, 'infra/containers/jest.containers.cjs'), {});

  const suites = STAND_IN_CONTRACT_SUITES.filter((s) => existsSync(path.join(REPO_ROOT, s.jestConfig)));
  if (suites.length > 0) {
    const services = await startContractServices();
    try {
      for (const suite of suites) {
        process.stdout.write(`\n== ${suite.name}: contract suite against ${suite.describe(services)}\n`);
        status ||= jest(path.join(REPO_ROOT, suite.jestConfig), suite.env(services), suite.jestArgs);
      }
    } finally {
      await services.stop();
    }
  }
  process.exitCode = status;
}

main().catch((err: unknown) => {
  process.stderr.write(`test:containers failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

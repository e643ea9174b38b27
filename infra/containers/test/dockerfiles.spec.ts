import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeConfig, REPO_ROOT, type ComposeConfig } from '../src/compose';
import { parseDockerfile, type Stage } from '../src/dockerfile';

const APPS = { 'cdc-producer': 8087, 'indexer-worker': 8088, 'search-api': 8086 } as const;
type App = keyof typeof APPS;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);

let compose: ComposeConfig;
beforeAll(() => {
  compose = composeConfig();
});

describe.each(Object.keys(APPS) as App[])('apps/%s/Dockerfile', (app) => {
  const file = path.join(REPO_ROOT, 'apps', app, 'Dockerfile');
  const df = parseDockerfile(file);
  const runtime = df.stages[df.stages.length - 1];

  it('is multi-stage on a pinned Node image matching the engines range', () => {
    expect(df.stages.length).toBeGreaterThanOrEqual(2);
    for (const s of df.stages) expect(s.from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    expect(new Set(df.stages.map((s) => s.from)).size).toBe(1);
  });

  it('builds only this app: `nx run <app>:build`, nothing else', () => {
    const nx = df.stages.flatMap(runs).filter((r) => /\bnx\b/.test(r));
    expect(nx).toHaveLength(1);
    expect(nx[0]).toMatch(new RegExp(`npx nx run ${app}:build\\b`));
    expect(nx[0]).not.toMatch(/run-many|affected/);
    expect(df.stages.flatMap(runs).some((r) => r.includes('npm ci --ignore-scripts'))).toBe(true);
  });

  it('ships the bundle with production dependencies only, from the generated package.json and lockfile', () => {
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c).toMatch(new RegExp(`^--from=build /workspace/dist/apps/${app}/`));
    expect(runs(runtime)).toEqual([expect.stringMatching(/^npm ci --omit=dev --ignore-scripts/)]);
  });

  it('runs as the unprivileged node user, listens where compose expects, and has a readiness HEALTHCHECK', () => {
    const kw = runtime.instructions.map((i) => i.keyword);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').pop();
    expect(user?.args).toBe('node');
    expect(kw.lastIndexOf('USER')).toBeGreaterThan(kw.lastIndexOf('RUN'));
    const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain(`PORT=${APPS[app]}`);
    expect(env).toContain('NODE_ENV=production');
    expect(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe(String(APPS[app]));
    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/--interval=\d+s/);
    expect(health).toContain("path:'/health/ready'");
    // Exec form: node, its flags (source maps always; V8 flags NODE_OPTIONS refuses may follow), the bundle.
    const cmd = JSON.parse(runtime.instructions.find((i) => i.keyword === 'CMD')?.args ?? '[]') as string[];
    expect([cmd[0], cmd[1], cmd.at(-1)]).toEqual(['node', '--enable-source-maps', 'main.js']);
    for (const flag of cmd.slice(1, -1)) expect(flag).toMatch(/^--[a-z-]+(=\S+)?$/);
  });

  it('has the healthcheck script actually parse as JavaScript', () => {
    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    const argv = JSON.parse(health.slice(health.indexOf('CMD') + 3).trim()) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    expect(() => new Function(argv[2])).not.toThrow();
  });

  it('is what compose builds and what `nx run <app>:docker-build` tags', () => {
    expect(compose.services[app].build).toEqual({ context: REPO_ROOT, dockerfile: `apps/${app}/Dockerfile` });
    const project = JSON.parse(readFileSync(path.join(REPO_ROOT, 'apps', app, 'project.json'), 'utf8'));
    const target = project.targets['docker-build'];
    expect(target.executor).toBe('nx:run-commands');
    expect(target.options.cwd).toBe('{workspaceRoot}');
    expect(target.options.command).toBe(`docker build -f apps/${app}/Dockerfile -t ${compose.services[app].image} .`);
  });
});

describe('infra/docker/migrate/Dockerfile and the build context', () => {
  it('bundles the migrate job with the migrations and runs it as node', () => {
    const df = parseDockerfile(path.join(REPO_ROOT, 'infra/docker/migrate/Dockerfile'));
    const runtime = df.stages[df.stages.length - 1];
    expect(df.stages.flatMap(runs).join('\n')).toMatch(/esbuild infra\/docker\/migrate\/migrate\.ts --bundle[\s\S]*cp -r infra\/postgres\/migrations/);
    expect(runtime.instructions.find((i) => i.keyword === 'USER')?.args).toBe('node');
    expect(runtime.instructions.find((i) => i.keyword === 'ENV')?.args).toContain('MIGRATIONS_DIR=/app/migrations');
  });

  it('.dockerignore keeps node_modules, dist, .git and local env files out of the context', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['**/node_modules', 'dist', '.git', '.env', '**/.env']) expect(ignore).toContain(entry);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const COMPOSE_FILE = path.join(REPO_ROOT, 'infra/docker-compose.yml');
export const COMPOSE_ENV_FILE = path.join(REPO_ROOT, 'infra/.env');

export interface ComposeHealthcheck {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
  command?: string[] | string;
  entrypoint?: string[] | string;
  ports?: (string | { target: number; published: number | string; host_ip?: string })[];
  volumes?: (string | { source?: string; target: string; read_only?: boolean })[];
  restart?: string;
}
export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Thrown when the compose tooling is missing or rejects the file. Never retryable: fix the machine or the file. */
export class ComposeToolError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: 'COMPOSE_TOOL_MISSING' | 'COMPOSE_INVALID' | 'COMPOSE_OUTPUT_UNPARSEABLE',
  ) {
    super(message);
    this.name = 'ComposeToolError';
  }
}

function run(cmd: string, args: string[], input?: string, env?: Record<string, string>) {
  const res = spawnSync(cmd, args, { cwd: REPO_ROOT, input, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ComposeToolError(
      `${cmd} is not installed; the compose validation needs it (Debian: apt-get install -y docker-compose, as .ci/run does)`,
      'COMPOSE_TOOL_MISSING',
    );
  }
  return res;
}

/**
 * The compose file as Debian's `docker-compose config` resolves it: schema-validated, variables interpolated from
 * infra/.env and the environment, anchors and merge keys expanded. The YAML it prints is read with PyYAML (python3-yaml,
 * a hard dependency of Debian's docker-compose package). `config` lists every service whatever the profiles;
 * use `activeServices` for the set a profile starts.
 */
export function composeConfig(env: Record<string, string> = {}): ComposeConfig {
  const res = run('docker-compose', ['-f', COMPOSE_FILE, 'config'], undefined, env);
  if (res.status !== 0) throw new ComposeToolError(`docker-compose config rejected ${COMPOSE_FILE}:\n${res.stderr}`, 'COMPOSE_INVALID');
  const json = run('python3', ['-c', 'import json,sys,yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], res.stdout);
  if (json.status !== 0) throw new ComposeToolError(`could not read docker-compose config output:\n${json.stderr}`, 'COMPOSE_OUTPUT_UNPARSEABLE');
  const parsed = JSON.parse(json.stdout) as ComposeConfig;
  for (const svc of Object.values(parsed.services)) {
    if (svc.environment) svc.environment = Object.fromEntries(Object.entries(svc.environment).map(([k, v]) => [k, v === null ? '' : String(v)]));
  }
  return parsed;
}

/** `docker-compose config --profiles`: every profile named in the file. */
export function composeProfiles(): string[] {
  const res = run('docker-compose', ['-f', COMPOSE_FILE, 'config', '--profiles']);
  if (res.status !== 0) throw new ComposeToolError(`docker-compose config --profiles failed:\n${res.stderr}`, 'COMPOSE_INVALID');
  return res.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The profiles `docker compose up` enables when none is given: COMPOSE_PROFILES from infra/.env. */
export function defaultProfiles(): string[] {
  const line = readFileSync(COMPOSE_ENV_FILE, 'utf8').split('\n').find((l) => l.startsWith('COMPOSE_PROFILES='));
  return line ? line.slice('COMPOSE_PROFILES='.length).split(',').map((p) => p.trim()).filter(Boolean) : [];
}

/** Compose's rule: a service starts when it has no profiles or one of its profiles is enabled. */
export function activeServices(config: ComposeConfig, profiles: string[]): string[] {
  return Object.entries(config.services)
    .filter(([, svc]) => !svc.profiles?.length || svc.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name)
    .sort();
}

/** A `command`/`entrypoint`/healthcheck `test` as one string (compose keeps `$$` for a literal `$`). */
export function asText(value: string[] | string | undefined): string {
  return (Array.isArray(value) ? value.join(' ') : (value ?? '')).replace(/\$\$/g, '$');
}

/** Reads a YAML file (Prometheus, Grafana provisioning) with the same PyYAML the compose validation relies on. */
export function readYamlFile<T = unknown>(file: string): T {
  const res = run('python3', ['-c', 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)', file]);
  if (res.status !== 0) throw new ComposeToolError(`could not parse ${file} as YAML:\n${res.stderr}`, 'COMPOSE_OUTPUT_UNPARSEABLE');
  return JSON.parse(res.stdout) as T;
}

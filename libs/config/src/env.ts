import { z } from 'zod';
import { ConfigError } from './config-error';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads an environment with a zod object schema; every problem is reported at once, values never are. */
export function parseEnv<S extends z.ZodObject>(app: string, schema: S, env: Env): z.infer<S> {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    return missing ? `${name} is required (${issue.message})` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(app, problems);
}

export const logLevel = z
  .enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'])
  .default('info')
  .describe('winston log level');

export const port = (def: number) =>
  z.coerce.number({ message: 'expected a TCP port number' }).int().min(0).max(65535).default(def);

export const host = z.string().default('127.0.0.1');

export const positiveInt = (def: number) =>
  z.coerce.number({ message: 'expected a whole number' }).int().positive({ message: 'expected a positive whole number' }).default(def);

export const nonNegativeInt = (def: number) =>
  z.coerce.number({ message: 'expected a whole number' }).int().min(0, { message: 'expected 0 or more' }).default(def);

export const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), { message: 'expected a postgres:// or postgresql:// URL' });

export const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^/\s]+/.test(v), { message: 'expected an http:// or https:// URL' })
  .transform((v) => v.replace(/\/+$/, ''));

/** `host:port[,host:port...]`, as KAFKA_BROKERS was in the original service. */
export const brokerList = z
  .string()
  .transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d{1,5}$/.test(b)), {
    message: 'expected a comma-separated list of host:port',
  });

export const topicName = (def: string) =>
  z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'expected a Kafka topic name ([a-zA-Z0-9._-], 1-249 chars)' })
    .default(def);

export const indexName = (def: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'expected a lowercase Elasticsearch index name' })
    .default(def);

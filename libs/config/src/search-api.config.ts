import { z } from 'zod';
import { bool, host, logLevel, nonNegativeInt, parseEnv, port, positiveInt, postgresUrl, type Env } from './env';
import { elasticsearchSchema } from './shared.config';

/** PEM text may arrive with literal `\n` (one-line env files); restore real newlines. */
const pem = z
  .string()
  .transform((v) => v.replace(/\\n/g, '\n'))
  .refine((v) => /-----BEGIN (RSA )?PUBLIC KEY-----/.test(v), { message: 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)' });

const secret = (what: string) => z.string().min(32, { message: `expected a ${what} of at least 32 characters` });

const schema = z
  .object({
    LOG_LEVEL: logLevel,
    HOST: host,
    PORT: port(8086),
    DATABASE_URL: postgresUrl,
    DATABASE_POOL_SIZE: positiveInt(10),
    ...elasticsearchSchema,
    // Authentication: HS256 with a shared secret, or RS256 with the issuer's public key (one of the two).
    AUTH_JWT_SECRET: secret('secret').optional(),
    AUTH_JWT_PUBLIC_KEY: pem.optional(),
    AUTH_JWT_ISSUER: z.string().min(1).default('nova'),
    AUTH_JWT_AUDIENCE: z.string().min(1).default('nova-search'),
    AUTH_JWT_CLOCK_TOLERANCE_S: nonNegativeInt(5),
    // Cursors are HMAC-signed; give every instance the same secret so a cursor works on any of them.
    SEARCH_CURSOR_SECRET: secret('secret').optional(),
    // Elasticsearch: the longest a request waits for it, then the circuit breaker.
    SEARCH_ES_DEADLINE_MS: positiveInt(800),
    // Relevance pages on Elasticsearch are read from a point in time, kept this long after each page.
    SEARCH_ES_PIT_KEEP_ALIVE_S: positiveInt(60).refine((v) => v <= 86_400, { message: 'expected at most 86400 s (1 day)' }),
    SEARCH_BREAKER_FAILURE_THRESHOLD: z.coerce.number().min(0.01).max(1).default(0.5),
    SEARCH_BREAKER_MIN_REQUESTS: positiveInt(5),
    SEARCH_BREAKER_WINDOW_MS: positiveInt(10_000),
    SEARCH_BREAKER_OPEN_MS: positiveInt(5_000),
    SEARCH_PG_STATEMENT_TIMEOUT_MS: positiveInt(3_000),
    // Planner cost of one index entry on the API's PostgreSQL sessions (server default 0.005; see the app README).
    SEARCH_PG_CPU_INDEX_TUPLE_COST: z.coerce.number().positive().max(10).default(0.05),
    SEARCH_ELASTICSEARCH_ENABLED: bool(true),
    // Privacy: how long a user's conversation memberships are cached (kept short on purpose).
    SEARCH_MEMBERSHIP_TTL_MS: nonNegativeInt(2_000).refine((v) => v <= 10_000, { message: 'expected at most 10000 ms' }),
    // Limits.
    SEARCH_MAX_QUERY_LENGTH: positiveInt(256),
    SEARCH_RATE_LIMIT_PER_USER: positiveInt(20), // sustained requests per second
    SEARCH_RATE_LIMIT_PER_IP: positiveInt(50),
    SEARCH_RATE_LIMIT_BURST_S: positiveInt(2), // bucket size, in seconds of the sustained rate
    SEARCH_TRUST_PROXY: bool(false),
  })
  .refine((e) => !(e.AUTH_JWT_SECRET && e.AUTH_JWT_PUBLIC_KEY), {
    message: 'set only one of AUTH_JWT_SECRET (HS256) or AUTH_JWT_PUBLIC_KEY (RS256)',
    path: ['AUTH_JWT_SECRET'],
  });

export function loadSearchApiConfig(env: Env) {
  const e = parseEnv('search-api', schema, env);
  return {
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT },
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    elasticsearch: {
      enabled: e.SEARCH_ELASTICSEARCH_ENABLED,
      url: e.ELASTICSEARCH_URL,
      username: e.ELASTICSEARCH_USERNAME,
      password: e.ELASTICSEARCH_PASSWORD,
      postIndex: e.ELASTICSEARCH_POST_INDEX,
      messageIndex: e.ELASTICSEARCH_MESSAGE_INDEX,
      deadlineMs: e.SEARCH_ES_DEADLINE_MS,
      pitKeepAliveS: e.SEARCH_ES_PIT_KEEP_ALIVE_S,
    },
    breaker: {
      failureThreshold: e.SEARCH_BREAKER_FAILURE_THRESHOLD,
      minRequests: e.SEARCH_BREAKER_MIN_REQUESTS,
      windowMs: e.SEARCH_BREAKER_WINDOW_MS,
      openMs: e.SEARCH_BREAKER_OPEN_MS,
    },
    postgres: { statementTimeoutMs: e.SEARCH_PG_STATEMENT_TIMEOUT_MS, cpuIndexTupleCost: e.SEARCH_PG_CPU_INDEX_TUPLE_COST },
    // Without a key no token can be verified: every authenticated route answers 401 (fail closed).
    auth: {
      algorithm: e.AUTH_JWT_PUBLIC_KEY ? ('RS256' as const) : ('HS256' as const),
      key: e.AUTH_JWT_PUBLIC_KEY ?? e.AUTH_JWT_SECRET,
      issuer: e.AUTH_JWT_ISSUER,
      audience: e.AUTH_JWT_AUDIENCE,
      clockToleranceS: e.AUTH_JWT_CLOCK_TOLERANCE_S,
    },
    // Without one, the app uses a random per-process secret (cursors then do not survive a restart).
    cursorSecret: e.SEARCH_CURSOR_SECRET,
    membershipTtlMs: e.SEARCH_MEMBERSHIP_TTL_MS,
    limits: {
      maxQueryLength: e.SEARCH_MAX_QUERY_LENGTH,
      ratePerUser: e.SEARCH_RATE_LIMIT_PER_USER,
      ratePerIp: e.SEARCH_RATE_LIMIT_PER_IP,
      burstSeconds: e.SEARCH_RATE_LIMIT_BURST_S,
    },
    trustProxy: e.SEARCH_TRUST_PROXY,
  };
}
export type SearchApiConfig = ReturnType<typeof loadSearchApiConfig>;

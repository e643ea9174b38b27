import { ConfigError, loadSearchApiConfig } from '@nova/config';

describe('search-api configuration', () => {
  const base = { DATABASE_URL: 'postgres://u@h/db' };

  it('defaults: port 8086, Elasticsearch on, no key (fail closed), short membership cache, sane limits', () => {
    const c = loadSearchApiConfig(base);
    expect(c.http.port).toBe(8086);
    expect(c.elasticsearch).toMatchObject({ enabled: true, messageIndex: 'nova_messages', postIndex: 'nova_posts', deadlineMs: 800 });
    expect(c.auth).toMatchObject({ algorithm: 'HS256', key: undefined, issuer: 'nova', audience: 'nova-search' });
    expect(c.membershipTtlMs).toBeLessThanOrEqual(5000);
    expect(c.limits).toMatchObject({ maxQueryLength: 256, ratePerIp: 50, ratePerUser: 20 });
    expect(c.postgres).toEqual({ statementTimeoutMs: 3000, cpuIndexTupleCost: 0.05 });
    expect(loadSearchApiConfig({ ...base, SEARCH_PG_CPU_INDEX_TUPLE_COST: '0.005' }).postgres.cpuIndexTupleCost).toBe(0.005);
  });

  it('takes an RS256 public key with escaped newlines', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----';
    expect(loadSearchApiConfig({ ...base, AUTH_JWT_PUBLIC_KEY: pem }).auth).toMatchObject({ algorithm: 'RS256', key: pem.replace(/\\n/g, '\n') });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadSearchApiConfig({ ...base, AUTH_JWT_SECRET: 'short', AUTH_JWT_PUBLIC_KEY: 'not a pem', SEARCH_MEMBERSHIP_TTL_MS: '60000', SEARCH_BREAKER_FAILURE_THRESHOLD: '2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'SEARCH_MEMBERSHIP_TTL_MS', 'SEARCH_BREAKER_FAILURE_THRESHOLD']) {
      expect((error as ConfigError).message).toContain(name);
    }
    expect((error as ConfigError).message).not.toContain('short');
  });

  it('refuses both an HS256 secret and an RS256 key', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----';
    expect(() => loadSearchApiConfig({ ...base, AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_PUBLIC_KEY: pem })).toThrow(/only one of/);
  });
});

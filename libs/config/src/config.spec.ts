import { ConfigError, loadIndexerConfig, loadProducerConfig, loadSearchApiConfig, redactUrl } from './index';

describe('app configuration', () => {
  it('keeps the original names and defaults', () => {
    const c = loadIndexerConfig({ KAFKA_BROKERS: 'localhost:9092' });
    expect(c.kafka).toEqual({
      brokers: ['localhost:9092'],
      clientId: 'nova-indexer-worker',
      groupId: 'nova-search-service',
      topics: { messagePersisted: 'message_persisted', messageDeleted: 'message_deleted', postPersisted: 'post_persisted', postDeleted: 'post_deleted' },
    });
    expect(c.elasticsearch).toMatchObject({ url: 'http://localhost:9200', postIndex: 'nova_posts', messageIndex: 'nova_messages' });
    expect(loadSearchApiConfig({ DATABASE_URL: 'postgres://u@h/db' }).http).toEqual({ host: '127.0.0.1', port: 8086 });
  });

  it('lets the indexer start without Kafka, as the original did', () => {
    expect(loadIndexerConfig({}).kafka).toBeUndefined();
  });

  it('names every bad variable at once and never prints a value', () => {
    const secret = 'postgresql-but-not-really:s3cret@db';
    let error: unknown;
    try {
      loadProducerConfig({ DATABASE_URL: secret, KAFKA_BROKERS: 'nohost', PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'LOG_LEVEL']) expect(message).toContain(name);
    expect(message).not.toContain('s3cret');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('reports missing required variables as required', () => {
    expect(() => loadProducerConfig({})).toThrow(/DATABASE_URL is required[\s\S]*KAFKA_BROKERS is required/);
  });

  it('treats empty strings as unset', () => {
    expect(loadIndexerConfig({ KAFKA_BROKERS: '', ELASTICSEARCH_URL: '' }).elasticsearch.url).toBe('http://localhost:9200');
  });

  it('splits broker lists and strips trailing slashes from URLs', () => {
    const c = loadIndexerConfig({ KAFKA_BROKERS: 'a:9092, b:9093', ELASTICSEARCH_URL: 'http://es:9200/' });
    expect(c.kafka?.brokers).toEqual(['a:9092', 'b:9093']);
    expect(c.elasticsearch.url).toBe('http://es:9200');
  });

  it('redacts passwords from URLs', () => {
    expect(redactUrl('postgres://user:pw@host:5432/db')).toBe('postgres://user:***@host:5432/db');
  });
});

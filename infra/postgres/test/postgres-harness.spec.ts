import { createSql } from '@nova/postgres';
import { createTestDatabase, migrate, startPostgres } from '../src';

describe('PostgreSQL harness', () => {
  it('serves a logical-replication-ready server with the migrated schema', async () => {
    const db = await createTestDatabase();
    const sql = createSql(db.url, { max: 1 });
    try {
      const [{ wal_level }] = await sql<{ wal_level: string }[]>`show wal_level`;
      expect(wal_level).toBe('logical');
      const tables = await sql<{ relname: string; relreplident: string }[]>`
        select relname, relreplident from pg_class where relname in ('messages', 'posts') order by relname`;
      expect(tables).toEqual([
        { relname: 'messages', relreplident: 'f' },
        { relname: 'posts', relreplident: 'f' },
      ]);
      // Migrations are recorded and idempotent.
      const again = await migrate(db.url);
      expect(again.applied).toEqual([]);
      expect(again.skipped.length).toBeGreaterThan(0);
    } finally {
      await sql.end();
      await db.drop();
    }
  });

  it('starts and stops a server of its own, removing it', async () => {
    const server = await startPostgres();
    const sql = createSql(server.url, { max: 1 });
    const [{ n }] = await sql<{ n: number }[]>`select 1 as n`;
    expect(n).toBe(1);
    await sql.end();
    await server.stop();
    const probe = createSql(server.url, { max: 1, connectTimeout: 1 });
    await expect(probe`select 1`).rejects.toThrow();
    await probe.end();
  });
});

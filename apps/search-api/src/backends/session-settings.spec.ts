import { createSql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { SEARCH_PLANNER_SETTINGS, withSessionSettings } from './session-settings';

describe('withSessionSettings', () => {
  it('adds settings as URL parameters, keeping credentials and the parameters already there', () => {
    const url = withSessionSettings('postgres://app:p%40ss@db.example:5433/nova?sslmode=require', { cpu_index_tuple_cost: '0.05' });
    const parsed = new URL(url);
    expect(parsed.username).toBe('app');
    expect(parsed.password).toBe('p%40ss');
    expect(parsed.host).toBe('db.example:5433');
    expect(parsed.pathname).toBe('/nova');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ sslmode: 'require', cpu_index_tuple_cost: '0.05' });
  });

  it("leaves the operator's own value and unreadable URLs alone", () => {
    expect(withSessionSettings('postgres://h/db?cpu_index_tuple_cost=0.01', { cpu_index_tuple_cost: '0.05' })).toBe('postgres://h/db?cpu_index_tuple_cost=0.01');
    expect(withSessionSettings('not a url', { cpu_index_tuple_cost: '0.05' })).toBe('not a url');
  });

  describe('on a real server', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('session_settings');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('every pooled session starts with the settings', async () => {
      const sql = createSql(withSessionSettings(db.url, SEARCH_PLANNER_SETTINGS(0.05)), { max: 2 });
      try {
        const rows = await Promise.all([0, 1, 2, 3].map(() => sql<{ v: string }[]>`select current_setting('cpu_index_tuple_cost') as v, pg_sleep(0.01)`));
        expect(rows.map((r) => r[0]?.v)).toEqual(['0.05', '0.05', '0.05', '0.05']);
      } finally {
        await sql.end();
      }
    });
  });
});

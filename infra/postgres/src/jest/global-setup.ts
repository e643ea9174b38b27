import { startPostgres, type PostgresServer } from '../postgres-harness';
import { prepareTemplate } from '../test-databases';

declare global {
  var __NOVA_PG__: PostgresServer | undefined;
}

/**
 * Jest globalSetup: one PostgreSQL per Jest run (or the one DATABASE_URL names), with a migrated template
 * database that each suite clones (`createTestDatabase`).
 */
export default async function globalSetup(): Promise<void> {
  const server = await startPostgres({ url: process.env['DATABASE_URL'] });
  await prepareTemplate(server.url);
  process.env['NOVA_TEST_PG_URL'] = server.url;
  globalThis.__NOVA_PG__ = server;
}

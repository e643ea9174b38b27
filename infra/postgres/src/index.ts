export { startPostgres, migrate, findPostgresBinDir, MIGRATIONS_DIR, type PostgresServer, type StartPostgresOptions } from './postgres-harness';
export { createTestDatabase, prepareTemplate, testServerUrl, TEMPLATE_DB, type TestDatabase } from './test-databases';

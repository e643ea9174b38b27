export { createSql, type Sql, type SqlOptions } from './client';
export { PostgresAdapterError, isRetryablePostgresError } from './errors';
export { runMigrations, type MigrationResult } from './migrations';

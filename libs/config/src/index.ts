export { ConfigError } from './config-error';
export * from './env';
export * from './shared.config';
export * from './producer.config';
export * from './indexer.config';
export * from './search-api.config';

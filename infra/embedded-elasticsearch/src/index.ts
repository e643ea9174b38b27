export { startEmbeddedElasticsearch, type EmbeddedElasticsearch, type EmbeddedElasticsearchOptions } from './embedded-elasticsearch';
export { Faults } from './faults';
export { EsError } from './http/es-error';
export { ES_VERSION } from './api/cluster-api';

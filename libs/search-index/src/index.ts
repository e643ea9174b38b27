export type { MessageDocument, PostDocument, SearchEntity } from './documents';
export { MAPPINGS, MESSAGE_MAPPINGS, POST_MAPPINGS, SEARCH_FIELDS, concreteIndexName, indexSettings, type IndexSettingsOptions } from './mappings';

import type { MessageRow, PostRow, SourceDb } from './fixture';

export type BackendName = 'postgres' | 'elasticsearch';
export const BACKENDS: BackendName[] = ['postgres'];

/** The backend a suite runs against: PostgreSQL alone (Elasticsearch disabled), or the embedded search server. */
export class Backend {
  private constructor(
    readonly name: BackendName,
    readonly env: Record<string, string>,
  ) {}

  static async start(name: BackendName, _src: SourceDb): Promise<Backend> {
    return new Backend(name, { SEARCH_ELASTICSEARCH_ENABLED: 'false' });
  }

  /** Writes the rows as the indexer would (soft-deleted rows as tombstones); a no-op for PostgreSQL. */
  async mirror(_messages: MessageRow[], _posts: PostRow[]): Promise<void> {
    return undefined;
  }

  async stop(): Promise<void> {
    return undefined;
  }
}

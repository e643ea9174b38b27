import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { startEmbeddedElasticsearch, type EmbeddedElasticsearch } from '@nova/embedded-elasticsearch';
import { MESSAGE_MAPPINGS, POST_MAPPINGS, concreteIndexName, indexSettings, type MessageDocument, type PostDocument } from '@nova/search-index';
import type { MessageRow, PostRow, SourceDb } from './fixture';

export type BackendName = 'postgres' | 'elasticsearch';
export const BACKENDS: BackendName[] = ['postgres', 'elasticsearch'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function messageDocument(r: MessageRow): MessageDocument {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    sender_id: r.sender_id,
    // A tombstone keeps its old text here on purpose: the API must filter it out, not rely on it being empty.
    content: r.content,
    created_at: iso(r.created_at),
    edited_at: iso(r.edited_at),
    deleted: r.deleted_at !== null,
    deleted_at: iso(r.deleted_at),
    source_lsn: null,
    committed_at: null,
    indexed_at: new Date().toISOString(),
  };
}

export function postDocument(r: PostRow): PostDocument {
  return {
    id: r.id,
    author_id: r.author_id,
    title: r.title,
    content: r.content,
    visibility: r.visibility,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    deleted: r.deleted_at !== null,
    deleted_at: iso(r.deleted_at),
    source_lsn: null,
    committed_at: null,
    indexed_at: new Date().toISOString(),
  };
}

/**
 * The embedded search server with the indexer's mappings behind unique aliases; documents are written with the
 * official client, as the indexer would.
 */
export class SearchServer {
  readonly messageAlias = `nova_messages_${randomBytes(4).toString('hex')}`;
  readonly postAlias = `nova_posts_${randomBytes(4).toString('hex')}`;
  private client: Client;

  private constructor(private server: EmbeddedElasticsearch) {
    this.client = new Client({ node: server.url });
  }

  static async start(): Promise<SearchServer> {
    const s = new SearchServer(await startEmbeddedElasticsearch());
    await s.createIndices();
    return s;
  }

  get faults(): EmbeddedElasticsearch['faults'] {
    return this.server.faults;
  }

  get url(): string {
    return this.server.url;
  }

  get env(): Record<string, string> {
    return {
      SEARCH_ELASTICSEARCH_ENABLED: 'true',
      ELASTICSEARCH_URL: this.server.url,
      ELASTICSEARCH_MESSAGE_INDEX: this.messageAlias,
      ELASTICSEARCH_POST_INDEX: this.postAlias,
    };
  }

  private async createIndices(): Promise<void> {
    for (const [alias, mappings] of [
      [this.messageAlias, MESSAGE_MAPPINGS],
      [this.postAlias, POST_MAPPINGS],
    ] as const) {
      await this.client.indices.create({ index: concreteIndexName(alias), settings: indexSettings(), mappings: mappings as never, aliases: { [alias]: {} } });
    }
  }

  async write(messages: MessageRow[], posts: PostRow[], refresh = true): Promise<void> {
    const operations: unknown[] = [];
    for (const m of messages) operations.push({ index: { _index: this.messageAlias, _id: m.id } }, messageDocument(m));
    for (const p of posts) operations.push({ index: { _index: this.postAlias, _id: p.id } }, postDocument(p));
    if (operations.length === 0) return;
    const res = await this.client.bulk({ operations, refresh });
    if (res.errors) throw new Error(`bulk write failed: ${JSON.stringify(res.items.find((i) => Object.values(i)[0]?.error))}`);
  }

  /** Stops the server (its data is gone), as a crashed node would be. */
  async stop(): Promise<void> {
    await this.client.close();
    await this.server.stop();
  }

  /** Starts a new, empty server on the same port with the same indices. */
  async startAgain(): Promise<void> {
    this.server = await startEmbeddedElasticsearch({ port: this.server.port });
    this.client = new Client({ node: this.server.url });
    await this.createIndices();
  }
}

/** The backend a suite runs against: PostgreSQL alone (Elasticsearch disabled), or the embedded search server. */
export class Backend {
  private constructor(
    readonly name: BackendName,
    readonly env: Record<string, string>,
    readonly search?: SearchServer,
  ) {}

  static async start(name: BackendName, _src: SourceDb): Promise<Backend> {
    if (name === 'postgres') return new Backend(name, { SEARCH_ELASTICSEARCH_ENABLED: 'false' });
    const search = await SearchServer.start();
    return new Backend(name, search.env, search);
  }

  /** Writes the rows as the indexer would (soft-deleted rows as tombstones); PostgreSQL needs nothing. */
  async mirror(messages: MessageRow[], posts: PostRow[]): Promise<void> {
    await this.search?.write(messages, posts);
  }

  async stop(): Promise<void> {
    await this.search?.stop();
  }
}

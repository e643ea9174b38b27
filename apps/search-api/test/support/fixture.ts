import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadSearchApiConfig } from '@nova/config';
import { createSilentLogger } from '@nova/logger';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { startSearchApi, type RunningSearchApi } from '../../src/search-api';

export const JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const ISSUER = 'nova-test';
export const AUDIENCE = 'nova-search';

export interface MessageRow {
  id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

export interface PostRow {
  id: string;
  author_id: string;
  title: string;
  content: string;
  visibility: 'public' | 'followers' | 'private';
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** A migrated database of its own, with helpers to write source rows. */
export class SourceDb {
  private constructor(
    readonly db: TestDatabase,
    readonly sql: Sql,
  ) {}

  static async create(): Promise<SourceDb> {
    const db = await createTestDatabase('search_api');
    return new SourceDb(db, createSql(db.url, { max: 4 }));
  }

  async user(id = randomUUID()): Promise<string> {
    await this.sql`insert into users (id, username, display_name) values (${id}, ${'u' + id.slice(0, 8)}, 'User')`;
    return id;
  }

  async conversation(members: string[], id = randomUUID()): Promise<string> {
    await this.sql`insert into conversations (id) values (${id})`;
    for (const m of members) await this.sql`insert into conversation_members (conversation_id, user_id) values (${id}, ${m})`;
    return id;
  }

  async message(conversationId: string, senderId: string, content: string, extra: Partial<MessageRow> = {}): Promise<MessageRow> {
    const row: MessageRow = {
      id: randomUUID(),
      conversation_id: conversationId,
      sender_id: senderId,
      content,
      created_at: new Date(),
      edited_at: null,
      deleted_at: null,
      ...extra,
    };
    await this.sql`insert into messages ${this.sql(row as never)}`;
    return row;
  }

  async post(authorId: string, title: string, content: string, extra: Partial<PostRow> = {}): Promise<PostRow> {
    const now = new Date();
    const row: PostRow = { id: randomUUID(), author_id: authorId, title, content, visibility: 'public', created_at: now, updated_at: now, deleted_at: null, ...extra };
    await this.sql`insert into posts ${this.sql(row as never)}`;
    return row;
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
    await this.db.drop();
  }
}

export function token(userId: string, options: jwt.SignOptions = {}, secret = JWT_SECRET): string {
  return jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '1h', ...options });
}

/** Starts the API in this process (real HTTP on 127.0.0.1, real PostgreSQL, optional search server). */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningSearchApi> {
  const config = loadSearchApiConfig({
    PORT: '0',
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: JWT_SECRET,
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    SEARCH_CURSOR_SECRET: 'cursor-secret-0123456789abcdef0123456789',
    SEARCH_ELASTICSEARCH_ENABLED: 'false',
    SEARCH_RATE_LIMIT_PER_IP: '100000',
    SEARCH_RATE_LIMIT_PER_USER: '100000',
    SEARCH_MEMBERSHIP_TTL_MS: '0',
    ...env,
  });
  return startSearchApi(config, createSilentLogger());
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & {
    backend?: string;
    hits?: Array<Record<string, unknown> & { id: string; snippet: string }>;
    next_cursor?: string | null;
    error?: { code: string; message: string; parameter?: string };
  };
}

export async function get(api: RunningSearchApi, path: string, params: Record<string, string | undefined> = {}, bearer?: string): Promise<ApiAnswer> {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  const res = await fetch(`${api.url}${path}${qs ? `?${qs}` : ''}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  const text = await res.text();
  let body: ApiAnswer['body'];
  try {
    body = JSON.parse(text) as ApiAnswer['body'];
  } catch {
    body = { raw: text };
  }
  return { status: res.status, headers: res.headers, body };
}

export const ids = (a: ApiAnswer) => (a.body.hits ?? []).map((h) => h.id).sort();

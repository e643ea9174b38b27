import type { Sql } from '@nova/postgres';
import type { Clause } from '../query/query-parser';
import { BackendError, type BackendHit, type BackendQuery, type SearchBackend } from './search-backend';
import { withStatementDeadline } from './statement-deadline';

// Stored generated columns (migration 0005): the vectors are computed once per write, not per candidate row.
const POST_TSV = `p.search_tsv`;
const POST_GRAMS = `nova_cjk_grams(p.title || ' ' || p.content)`;
const POST_TEXT = `lower(p.title || ' ' || p.content)`;
const MSG_TSV = `m.search_tsv`;
const MSG_GRAMS = `nova_cjk_grams(m.content)`;
const MSG_TEXT = `lower(m.content)`;

/** Builds parameterised SQL: user text only ever travels as a bound parameter, never inside the SQL text. */
class SqlBuilder {
  readonly params: Array<string | number | null> = [];
  param(value: string | number | null, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }
}

interface Fields {
  tsv: string;
  grams: string;
  text: string;
}

function clauseMatch(b: SqlBuilder, c: Clause, f: Fields): string {
  const t = b.param(c.text, 'text');
  // The gram index narrows the candidates (nova_cjk_query_grams: migration 0004); strpos is the exact test.
  if (c.cjk) return `(${f.grams} @> nova_cjk_query_grams(${t}) and strpos(${f.text}, lower(${t})) > 0)`;
  return `(${f.tsv} @@ phraseto_tsquery('simple'::regconfig, ${t}))`;
}

/** A document-local score (independent of other rows, so it is stable while others are written): ts_rank of the
 * words and phrases, plus a bounded bonus per Chinese/Japanese/Korean term occurrence. */
function scoreExpr(b: SqlBuilder, q: BackendQuery, f: Fields): string {
  const positive = q.query.groups.flat();
  const words = q.query.groups
    .map((g) => g.filter((c) => !c.cjk).map((c) => `phraseto_tsquery('simple'::regconfig, ${b.param(c.text, 'text')})`))
    .filter((g) => g.length > 0)
    .map((g) => `(${g.join(' || ')})`);
  const parts = words.length > 0 ? [`ts_rank(${f.tsv}, ${words.join(' && ')})`] : [];
  for (const c of positive.filter((x) => x.cjk)) {
    const t = b.param(c.text.toLowerCase(), 'text');
    const occurrences = `((char_length(${f.text}) - char_length(replace(${f.text}, ${t}, ''))) / greatest(char_length(${t}), 1))`;
    parts.push(`(0.1 - 0.1 / (1 + ${occurrences}))`);
  }
  return parts.length > 0 ? `(${parts.join(' + ')})::real` : `0::real`;
}

export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;
  constructor(
    private readonly sql: Sql,
    private readonly statementTimeoutMs = 3_000,
  ) {}

  async ping(): Promise<void> {
    await this.run(`select 1`, []);
  }

  async search(q: BackendQuery): Promise<BackendHit[]> {
    const b = new SqlBuilder();
    const isPost = q.entity === 'post';
    const f: Fields = isPost ? { tsv: POST_TSV, grams: POST_GRAMS, text: POST_TEXT } : { tsv: MSG_TSV, grams: MSG_GRAMS, text: MSG_TEXT };
    const alias = isPost ? 'p' : 'm';
    const where: string[] = [`${alias}.deleted_at is null`];
    if (isPost) {
      where.push(`(p.visibility = 'public' or p.author_id = ${b.param(q.viewerId ?? null, 'uuid')})`);
      if (q.authorId) where.push(`p.author_id = ${b.param(q.authorId, 'uuid')}`);
    } else {
      if (q.conversationIds) {
        where.push(`m.conversation_id = any(${b.param(`{${q.conversationIds.join(',')}}`, 'uuid[]')})`);
      } else if (q.memberId) {
        // Membership read in the same statement (one round trip, and never older than this query).
        where.push(`m.conversation_id = any(array(select cm.conversation_id from conversation_members cm where cm.user_id = ${b.param(q.memberId, 'uuid')}))`);
        if (q.conversationId) where.push(`m.conversation_id = ${b.param(q.conversationId, 'uuid')}`);
      } else {
        throw new Error('a message search needs conversationIds or memberId'); // never an unscoped message search
      }
      if (q.senderId) where.push(`m.sender_id = ${b.param(q.senderId, 'uuid')}`);
    }
    for (const group of q.query.groups) where.push(`(${group.map((c) => clauseMatch(b, c, f)).join(' or ')})`);
    for (const c of q.query.excluded) where.push(`not ${clauseMatch(b, c, f)}`);

    const columns = isPost
      ? `p.id, p.title, p.content, p.created_at, p.updated_at, p.author_id, p.visibility`
      : `m.id, m.content, m.created_at, m.edited_at as updated_at, m.conversation_id, m.sender_id`;
    const score = scoreExpr(b, q, f);
    let outer = '';
    let order: string;
    if (q.sort === 'recent') {
      order = `s.ms desc, s.id desc`;
      if (q.after) outer = `where (s.ms, s.id) < (${b.param(q.after[0], 'bigint')}, ${b.param(q.after[1], 'uuid')})`;
    } else {
      order = `s.score desc, s.id asc`;
      if (q.after) {
        const s = b.param(String(q.after[0]), 'real');
        outer = `where (s.score < ${s} or (s.score = ${s} and s.id > ${b.param(q.after[1], 'uuid')}))`;
      }
    }
    const text =
      `select * from (select ${columns}, nova_epoch_ms(${alias}.created_at) as ms, ${score} as score ` +
      `from ${isPost ? 'posts p' : 'messages m'} where ${where.join(' and ')}) s ${outer} order by ${order} limit ${b.param(q.size, 'int')}`;
    const rows = await this.run(text, b.params);
    return rows.map((r) => ({
      id: r['id'] as string,
      score: Number(r['score']),
      sortKey: [q.sort === 'recent' ? Number(r['ms']) : Number(r['score']), r['id'] as string],
      title: isPost ? (r['title'] as string) : undefined,
      content: r['content'] as string,
      createdAt: iso(r['created_at']),
      updatedAt: iso(r['updated_at']),
      conversationId: r['conversation_id'] as string | undefined,
      senderId: r['sender_id'] as string | undefined,
      authorId: r['author_id'] as string | undefined,
      visibility: r['visibility'] as string | undefined,
    }));
  }

  private async run(text: string, params: Array<string | number | null>): Promise<Array<Record<string, unknown>>> {
    try {
      return (await withStatementDeadline(this.sql.unsafe(text, params as never[]), this.statementTimeoutMs)) as unknown as Array<Record<string, unknown>>;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '57014') throw new BackendError('postgres', 'timeout', 'PostgreSQL query timed out', { cause: err });
      throw new BackendError('postgres', code && /^(08|53|57)/.test(code) ? 'unavailable' : 'error', `PostgreSQL query failed (${code ?? 'no code'})`, { cause: err });
    }
  }
}

function iso(v: unknown): string | null {
  return v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null;
}

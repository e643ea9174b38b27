import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from '../src';

// nova_cjk_grams() of migration 0006 must return the same SET of grams as 0002's definition for every text: the
// search API's PostgreSQL fallback and the existing gram indexes rely on it. The reference is 0002's own text,
// created here under another name.
const migration = (file: string) => readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
const definition = (file: string, name: string) => {
  const match = /create (?:or replace )?function nova_cjk_grams\(t text\)[\s\S]*?\$\$;/.exec(migration(file));
  if (!match) throw new Error(`no nova_cjk_grams definition in ${file}`);
  return match[0].replace(/^create (or replace )?function nova_cjk_grams/, `create or replace function ${name}`);
};

// The listed CJK ranges (0002), each with its bounds and the characters just outside them.
const RANGES: Array<[number, number]> = [
  [0x1100, 0x11ff], [0x3040, 0x30ff], [0x3130, 0x318f], [0x31f0, 0x31ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xac00, 0xd7af], [0xf900, 0xfaff], [0xff66, 0xff9f],
];
const EDGES = RANGES.flatMap(([lo, hi]) => [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1].map((c) => String.fromCodePoint(c)));
const CHARS = [
  ...EDGES,
  ...'北京天气搜索服务很好今ひらがなカタカナ한국어ｱｲ',
  ...'abcXYZ019 .,!?-_\'"\\&()[]{}$%',
  ' ', '\t', '\n', '\r', '\u3000', '。', '、', '\u0301', '😀', '𠀀', 'é', 'ß',
];
const textArb = fc.oneof(
  fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((cs) => cs.join('')),
  // Runs of repeated characters (duplicate grams) and long runs.
  fc.array(fc.tuple(fc.constantFrom(...CHARS), fc.integer({ min: 1, max: 6 })), { maxLength: 12 }).map((parts) => parts.map(([c, n]) => c.repeat(n)).join('')),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/\0/g, '')),
);

const asSet = (grams: string[]) => [...new Set(grams)].sort();

describe('nova_cjk_grams (migration 0006)', () => {
  let db: TestDatabase;
  let sql: Sql;

  beforeAll(async () => {
    db = await createTestDatabase('cjk');
    sql = createSql(db.url, { max: 1 });
    await sql.unsafe(definition('0002_search_fulltext.sql', 'nova_cjk_grams_0002'));
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  const both = (texts: string[]) =>
    sql<{ now: string[]; then: string[] }[]>`
      select nova_cjk_grams(x) as now, nova_cjk_grams_0002(x) as then
      from unnest(${texts}::text[]) with ordinality as u(x, n) order by n`;

  it('returns the same set of grams as 0002 for generated texts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textArb, { minLength: 1, maxLength: 50 }), async (texts) => {
        const rows = await both(texts);
        rows.forEach((row, i) => expect([texts[i], asSet(row.now)]).toEqual([texts[i], asSet(row.then)]));
      }),
      { numRuns: 200 },
    );
  });

  it('lists every CJK character and every pair within a run, nothing else', async () => {
    const [row] = await both(['x 北京天气 y 北 京京 ab 한국어, ｱｲ!']);
    expect(asSet(row.now)).toEqual(
      asSet(['北', '京', '天', '气', '北京', '京天', '天气', '京京', '한', '국', '어', '한국', '국어', 'ｱ', 'ｲ', 'ｱｲ']),
    );
    const [empty] = await both(['', 'no cjk at all', '。']);
    expect(empty.now).toEqual([]);
    const [{ isNull }] = await sql<{ isNull: boolean }[]>`select nova_cjk_grams(null) is null as "isNull"`;
    expect(isNull).toBe(true);
  });

  it("stays consistent with a gram index built under 0002, and keeps the planner's view of 0002's function", async () => {
    // An index built with 0002's function, then the function replaced by 0006's body, as the migration does.
    await sql`create table grams_probe (id int primary key, content text not null)`;
    await sql`create index grams_probe_idx on grams_probe using gin (nova_cjk_grams_0002(content))`;
    const words = ['北京', '天气', '搜索', '服务', '今天天气很好', 'alpha', 'ひらがな', '한국어'];
    const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, content: [0, 1, 2].map((k) => words[(i * 7 + k * i) % words.length]).join(i % 3 ? ' ' : '') }));
    await sql`insert into grams_probe ${sql(rows.slice(0, 200))}`;
    await sql.unsafe(definition('0006_search_cjk_grams_builtins.sql', 'nova_cjk_grams_0002'));
    await sql`insert into grams_probe ${sql(rows.slice(200))}`;
    const terms = ['北京', '京天', '天气很', '气搜', '很好', '한국', '国', 'ひら'];
    for (const term of terms) {
      const count = async (scan: 'index' | 'seq') =>
        sql.begin(async (tx) => {
          await tx.unsafe(scan === 'index' ? 'set local enable_seqscan = off' : 'set local enable_bitmapscan = off');
          if (scan === 'seq') await tx.unsafe('set local enable_indexscan = off');
          const [{ ids }] = await tx<{ ids: number[] | null }[]>`
            select array_agg(id order by id) as ids from grams_probe where nova_cjk_grams_0002(content) @> nova_cjk_query_grams(${term})`;
          return ids ?? [];
        });
      expect([term, await count('index')]).toEqual([term, await count('seq')]);
    }
    // Not inlined (the planner keeps costing it as 0002's function: strict, cost 100), so the index is used.
    const [fn] = await sql<{ strict: boolean; cost: number }[]>`
      select proisstrict as strict, procost::float8 as cost from pg_proc where proname = 'nova_cjk_grams'`;
    expect(fn).toEqual({ strict: true, cost: 100 });
    const plan = await sql<{ 'QUERY PLAN': string }[]>`
      explain select id from grams_probe where nova_cjk_grams_0002(content) @> nova_cjk_query_grams('京天')`;
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('grams_probe_idx');
  });
});

/**
 * The `q` syntax, shared by both backends: words (all must match), "quoted phrases", `-excluded` words or phrases,
 * and `OR` between two terms. The result is a small tree of plain strings; it is never passed on as query DSL or SQL.
 */
export interface Clause {
  /** `word` = one typed word; `phrase` = quoted words that must appear in order. */
  kind: 'word' | 'phrase';
  /** The text as typed (trimmed, inner whitespace collapsed). */
  text: string;
  /** True when it contains Chinese, Japanese or Korean characters: matched as a substring (two or more characters). */
  cjk: boolean;
}

export interface ParsedQuery {
  /** All groups must match; a group matches when any of its clauses does (groups of one are plain words). */
  groups: Clause[][];
  /** No result may match any of these. */
  excluded: Clause[];
}

export class QuerySyntaxError extends Error {
  readonly code = 'INVALID_QUERY';
  readonly retryable = false;
}

export const MAX_CLAUSES = 16;

const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}]/u;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
// Control characters, bidi overrides and other invisible format characters are not searchable text.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;

export function isCjk(text: string): boolean {
  return CJK.test(text);
}

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  const s = q.normalize('NFKC').replace(INVISIBLE, ' ');
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/u.test(s[i] as string)) i++;
    if (i >= s.length) break;
    let negated = false;
    if (s[i] === '-' && i + 1 < s.length && !/\s/u.test(s[i + 1] as string)) {
      negated = true;
      i++;
    }
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      const stop = end === -1 ? s.length : end; // an unclosed quote runs to the end, as in most search boxes
      tokens.push({ text: s.slice(i + 1, stop), quoted: true, negated });
      i = stop + 1;
    } else {
      let j = i;
      while (j < s.length && !/\s/u.test(s[j] as string) && s[j] !== '"') j++;
      tokens.push({ text: s.slice(i, j), quoted: false, negated });
      i = j;
    }
  }
  return tokens;
}

function toClause(token: Token): Clause | null {
  const text = token.text.replace(/\s+/gu, ' ').trim();
  if (!HAS_WORD_CHAR.test(text)) return null; // punctuation alone finds nothing on either backend
  const kind = token.quoted && /\s/u.test(text) ? 'phrase' : 'word';
  return { kind, text, cjk: isCjk(text) };
}

/** Parses `q`; throws QuerySyntaxError when nothing positive is left to search for or the query is too complex. */
export function parseQuery(q: string): ParsedQuery {
  const tokens = tokenize(q);
  const groups: Clause[][] = [];
  const excluded: Clause[] = [];
  let joinNext = false;
  for (const [index, token] of tokens.entries()) {
    // `OR` (upper case, unquoted, between two positive terms) joins its neighbours; elsewhere it is a word.
    if (!token.quoted && !token.negated && token.text === 'OR' && groups.length > 0 && index < tokens.length - 1 && !joinNext) {
      joinNext = true;
      continue;
    }
    const clause = toClause(token);
    if (!clause) continue;
    if (token.negated) {
      excluded.push(clause);
      continue;
    }
    const last = groups[groups.length - 1];
    if (joinNext && last) last.push(clause);
    else groups.push([clause]);
    joinNext = false;
  }
  const count = groups.reduce((n, g) => n + g.length, 0) + excluded.length;
  if (groups.length === 0) throw new QuerySyntaxError('q must contain at least one word or phrase to find');
  if (count > MAX_CLAUSES) throw new QuerySyntaxError(`q may contain at most ${MAX_CLAUSES} words and phrases`);
  return { groups, excluded };
}

/** Every positive clause (for highlighting). */
export function positiveClauses(query: ParsedQuery): Clause[] {
  return query.groups.flat();
}

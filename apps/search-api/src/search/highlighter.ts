import type { Clause } from '../query/query-parser';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD = /[\p{L}\p{N}]+/gu;

/** A pattern per clause: words and phrases match whole words (any punctuation between them); CJK terms as substrings. */
function pattern(c: Clause): RegExp | null {
  if (c.cjk) return new RegExp(escapeRegExp(c.text), 'giu');
  const words = c.text.match(WORD);
  if (!words) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'giu');
}

// Unicode-aware patterns are costly to compile (~0.1 ms); popular queries repeat, so keep a bounded cache.
const compiled = new Map<string, RegExp | null>();
function cachedPattern(c: Clause): RegExp | null {
  const key = `${c.cjk ? 'c' : 'w'}:${c.text}`;
  let re = compiled.get(key);
  if (re === undefined) {
    re = pattern(c);
    if (compiled.size >= 1000) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, re);
  }
  return re;
}

/** Compiles the patterns of a query once, for all its hits. */
export function highlighterFor(clauses: Clause[]): (text: string, maxLength?: number) => string {
  const patterns = clauses.map(cachedPattern).filter((p): p is RegExp => p !== null);
  return (text, maxLength) => highlightWith(text, patterns, maxLength);
}

/**
 * The same highlighting for both backends: a window of the text around the first match, matches wrapped in
 * `<em>`, everything else HTML-escaped (the text is user content and may contain markup).
 */
export function highlight(text: string, clauses: Clause[], maxLength = 200): string {
  return highlighterFor(clauses)(text, maxLength);
}

function highlightWith(text: string, patterns: RegExp[], maxLength = 200): string {
  const ranges: Array<[number, number]> = [];
  for (const re of patterns) {
    // exec on the cached object (matchAll would clone the RegExp per call, and a clone can lose V8's compiled code).
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null && ranges.length <= 200; m = re.exec(text)) {
      if (m[0].length > 0) ranges.push([m.index, m.index + m[0].length]);
      else re.lastIndex = m.index + ((text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1); // never stall on an empty match
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const first = merged[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(maxLength / 4));
  if (start > 0) {
    const space = text.lastIndexOf(' ', start);
    if (space > start - 20 && space >= 0) start = space + 1;
  }
  // Do not cut a surrogate pair in half.
  if (start > 0 && /[\udc00-\udfff]/.test(text[start] ?? '')) start--;
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  let out = start > 0 ? '…' : '';
  let pos = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    out += escapeHtml(text.slice(pos, from)) + '<em>' + escapeHtml(text.slice(from, to)) + '</em>';
    pos = to;
  }
  out += escapeHtml(text.slice(pos, end)) + (end < text.length ? '…' : '');
  return out;
}

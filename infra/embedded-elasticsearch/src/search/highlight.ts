import type { Token } from '../analysis/token';
import { EsError } from '../http/es-error';
import type { HighlightTerms, SearchContext } from '../query/query';
import { phraseMatches, sourceValues } from '../query/text-queries';

export interface HighlightOptions {
  preTags: string[];
  postTags: string[];
  fragmentSize: number;
  numberOfFragments: number;
  requireFieldMatch: boolean;
  noMatchSize: number;
  encoder: 'default' | 'html';
  order: 'none' | 'score';
}

export interface HighlightRequest {
  fields: Array<{ field: string; options: HighlightOptions }>;
}

const FIELD_KEYS = ['pre_tags', 'post_tags', 'fragment_size', 'number_of_fragments', 'require_field_match', 'no_match_size', 'encoder', 'type', 'order'];

function readOptions(o: Record<string, unknown>, base: HighlightOptions, where: string): HighlightOptions {
  for (const key of Object.keys(o)) {
    if (key === 'fields' && where === 'highlight') continue;
    if (!FIELD_KEYS.includes(key)) throw EsError.unsupported(`highlight option [${key}]`);
  }
  if (o.type !== undefined && o.type !== 'unified') throw EsError.unsupported(`highlighter type [${String(o.type)}]`);
  return {
    preTags: (o.pre_tags as string[] | undefined) ?? base.preTags,
    postTags: (o.post_tags as string[] | undefined) ?? base.postTags,
    fragmentSize: o.fragment_size === undefined ? base.fragmentSize : Number(o.fragment_size),
    numberOfFragments: o.number_of_fragments === undefined ? base.numberOfFragments : Number(o.number_of_fragments),
    requireFieldMatch: o.require_field_match === undefined ? base.requireFieldMatch : Boolean(o.require_field_match),
    noMatchSize: o.no_match_size === undefined ? base.noMatchSize : Number(o.no_match_size),
    encoder: (o.encoder as 'default' | 'html' | undefined) ?? base.encoder,
    order: (o.order as 'none' | 'score' | undefined) ?? base.order,
  };
}

export function parseHighlight(body: unknown): HighlightRequest {
  const o = (body ?? {}) as Record<string, unknown>;
  const defaults: HighlightOptions = {
    preTags: ['<em>'], postTags: ['</em>'], fragmentSize: 100, numberOfFragments: 5, requireFieldMatch: true, noMatchSize: 0, encoder: 'default', order: 'none',
  };
  const global = readOptions(o, defaults, 'highlight');
  const fields = Array.isArray(o.fields)
    ? (o.fields as Array<Record<string, Record<string, unknown>>>).flatMap((f) => Object.entries(f))
    : Object.entries((o.fields ?? {}) as Record<string, Record<string, unknown>>);
  return { fields: fields.map(([field, opts]) => ({ field, options: readOptions(opts ?? {}, global, 'field') })) };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' };
const sentenceSegmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

interface Span {
  start: number;
  end: number;
}

/** The character spans of `text` that the query's terms, phrases and prefixes match for this field. */
function matchedSpans(tokens: Token[], field: string, terms: HighlightTerms, requireFieldMatch: boolean): Span[] {
  const fieldsToUse = requireFieldMatch ? [field] : [...new Set([...terms.terms.keys(), ...terms.phrases.keys(), ...terms.prefixes.keys()])];
  const termSet = new Set(fieldsToUse.flatMap((f) => [...(terms.terms.get(f) ?? [])]));
  const prefixes = fieldsToUse.flatMap((f) => terms.prefixes.get(f) ?? []);
  const hit = new Set<number>();
  tokens.forEach((t, i) => {
    if (termSet.has(t.term) || prefixes.some((p) => t.term.startsWith(p))) hit.add(i);
  });
  for (const f of fieldsToUse) {
    for (const phrase of terms.phrases.get(f) ?? []) {
      const pattern = phrase.map((term, k) => ({ term, offset: k }));
      for (const start of phraseMatches(tokens, pattern)) {
        for (let k = 0; k < phrase.length; k++) {
          const idx = tokens.findIndex((t) => t.position === tokens[start].position + k);
          if (idx >= 0) hit.add(idx);
        }
      }
    }
  }
  return [...hit].sort((a, b) => a - b).map((i) => ({ start: tokens[i].start, end: tokens[i].end }));
}

function wordBoundaryAfter(text: string, at: number): number {
  if (at >= text.length) return text.length;
  for (const seg of wordSegmenter.segment(text.slice(at))) if (seg.index > 0) return at + seg.index;
  return text.length;
}

/**
 * Passages as the unified highlighter's sentence scanner makes them: the sentence around a match, cut after
 * `fragment_size` characters at the next word boundary when the sentence is longer.
 */
function passages(text: string, spans: Span[], size: number): Array<Span & { hits: Span[] }> {
  const out: Array<Span & { hits: Span[] }> = [];
  for (const seg of sentenceSegmenter.segment(text)) {
    const sStart = seg.index;
    const sEnd = seg.index + seg.segment.length;
    let inside = spans.filter((s) => s.start >= sStart && s.end <= sEnd);
    let start = sStart;
    while (inside.length > 0) {
      if (sEnd - start <= size) {
        out.push({ start, end: sEnd, hits: inside });
        break;
      }
      if (inside[0].start - start > size) start = inside[0].start;
      const end = Math.max(wordBoundaryAfter(text, start + size), inside[0].end);
      const mine = inside.filter((s) => s.end <= end);
      out.push({ start, end, hits: mine });
      inside = inside.filter((s) => s.end > end);
      start = end;
    }
  }
  return out;
}

function render(text: string, p: Span & { hits: Span[] }, o: HighlightOptions): string {
  const enc = (s: string) => (o.encoder === 'html' ? s.replace(/[&<>"'/]/g, (c) => HTML_ESCAPES[c]) : s);
  let out = '';
  let at = p.start;
  p.hits.forEach((h, i) => {
    const tag = i % o.preTags.length;
    out += enc(text.slice(at, h.start)) + o.preTags[tag] + enc(text.slice(h.start, h.end)) + o.postTags[Math.min(tag, o.postTags.length - 1)];
    at = h.end;
  });
  return (out + enc(text.slice(at, p.end))).trim();
}

/** The `highlight` object of one hit. */
export function highlightHit(ctx: SearchContext, doc: number, request: HighlightRequest, terms: HighlightTerms): Record<string, string[]> | undefined {
  const result: Record<string, string[]> = {};
  const source = ctx.view.sources[doc];
  for (const { field: pattern, options } of request.fields) {
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const fields = [...ctx.mappings.fields.values()].filter((f) => regex.test(f.path) && (f.type === 'text' || f.type === 'keyword'));
    for (const field of fields) {
      const analyzer = field.type === 'text' ? ctx.analyzers.get(field.analyzer)! : (t: string): Token[] => [{ term: t, position: 0, start: 0, end: t.length, type: 'word' }];
      const candidates: Array<{ text: string; p: Span & { hits: Span[] }; score: number }> = [];
      const values = sourceValues(source, field.sourcePath).map(String);
      for (const text of values) {
        const spans = matchedSpans(analyzer(text), field.path, terms, options.requireFieldMatch);
        if (spans.length === 0) continue;
        if (options.numberOfFragments === 0) {
          candidates.push({ text, p: { start: 0, end: text.length, hits: spans }, score: spans.length });
          continue;
        }
        for (const p of passages(text, spans, options.fragmentSize)) {
          const distinct = new Set(p.hits.map((h) => text.slice(h.start, h.end).toLowerCase())).size;
          candidates.push({ text, p, score: distinct * 10 + p.hits.length - (p.end - p.start) / 1000 });
        }
      }
      if (candidates.length === 0) {
        if (options.noMatchSize > 0 && values.length > 0) {
          result[field.path] = [values[0].slice(0, wordBoundaryAfter(values[0], Math.min(values[0].length, options.noMatchSize))).trim()];
        }
        continue;
      }
      let chosen = candidates;
      if (options.numberOfFragments > 0) {
        chosen = candidates
          .map((c, i) => ({ c, i }))
          .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
          .slice(0, options.numberOfFragments)
          .sort((a, b) => (options.order === 'score' ? b.c.score - a.c.score || a.i - b.i : a.i - b.i))
          .map((x) => x.c);
      }
      result[field.path] = chosen.map((c) => render(c.text, c.p, options));
    }
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

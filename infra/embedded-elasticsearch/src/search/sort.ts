import { EsError } from '../http/es-error';
import type { SearchContext } from '../query/query';

export interface SortField {
  field: string; // `_score`, `_doc` or a field path
  order: 'asc' | 'desc';
  missing: '_last' | '_first';
  unmappedType?: string;
}

export type SortValue = number | string | null;

/** Parses `sort` from the body (`["_score", {"created_at": {"order": "desc"}}]`) or the `sort` URL parameter. */
export function parseSort(raw: unknown): SortField[] | undefined {
  if (raw === undefined) return undefined;
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
  return items.map((item) => {
    if (typeof item === 'string') {
      const [field, order] = item.split(':');
      return { field, order: (order ?? (field === '_score' ? 'desc' : 'asc')) as 'asc' | 'desc', missing: '_last' };
    }
    const entries = Object.entries(item as Record<string, unknown>);
    if (entries.length !== 1) throw EsError.parsing('[sort] expected exactly one field per sort object');
    const [field, spec] = entries[0];
    const o = typeof spec === 'string' ? { order: spec } : (spec as Record<string, unknown>);
    for (const key of Object.keys(o)) {
      if (!['order', 'missing', 'unmapped_type'].includes(key)) throw EsError.unsupported(`sort option [${key}]`);
    }
    const order = String(o.order ?? (field === '_score' ? 'desc' : 'asc'));
    if (order !== 'asc' && order !== 'desc') throw EsError.badRequest(`Unknown SortOrder [${order}]`);
    const missing = String(o.missing ?? '_last');
    if (missing !== '_last' && missing !== '_first') throw EsError.unsupported(`sort missing value [${missing}]`);
    return { field, order, missing, unmappedType: o.unmapped_type as string | undefined };
  });
}

/** Checks the sort fields against one index's mapping, as Elasticsearch does before searching. */
export function validateSort(ctx: SearchContext, sort: SortField[]): void {
  for (const s of sort) {
    if (s.field === '_score' || s.field === '_doc' || s.field === '_shard_doc') continue;
    const field = ctx.mappings.fields.get(s.field);
    if (!field) {
      if (s.unmappedType) continue;
      throw new EsError(400, 'query_shard_exception', `No mapping found for [${s.field}] in order to sort on`, { index: ctx.indexName });
    }
    if (field.type === 'text') {
      throw EsError.badRequest(
        `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
    if (field.type === 'object') throw EsError.badRequest(`can't sort on object field [${s.field}]`);
  }
}

/** The sort value of one document for one sort field (booleans as 1/0, dates as epoch millis; min/max for arrays). */
export function sortValue(ctx: SearchContext, s: SortField, doc: number, score: number): SortValue {
  if (s.field === '_score') return score;
  if (s.field === '_doc') return doc;
  const v = ctx.view.columns.get(s.field)?.[doc];
  if (v === undefined) return null;
  const norm = (x: string | number | boolean) => (typeof x === 'boolean' ? (x ? 1 : 0) : x);
  if (Array.isArray(v)) {
    const values = v.map(norm).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return s.order === 'asc' ? values[0] : values[values.length - 1];
  }
  return norm(v);
}

/** Compares two sort-value tuples in sort order (missing values first or last as asked). */
export function compareSortValues(sort: SortField[], a: SortValue[], b: SortValue[]): number {
  for (let i = 0; i < sort.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const s = sort[i];
    if (x === null || y === null) return (x === null ? 1 : -1) * (s.missing === '_last' ? 1 : -1);
    const c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return s.order === 'asc' ? c : -c;
  }
  return 0;
}

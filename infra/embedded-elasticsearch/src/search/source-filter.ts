import { EsError } from '../http/es-error';

export interface SourceFilter {
  enabled: boolean;
  includes: string[];
  excludes: string[];
}

const toList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : String(v).split(','));

/** Reads the `_source` option of a search (body) or get/search (`_source`, `_source_includes`, `_source_excludes` params). */
export function parseSourceFilter(body: unknown, includes?: string, excludes?: string): SourceFilter {
  const filter: SourceFilter = { enabled: true, includes: toList(includes), excludes: toList(excludes) };
  if (body === undefined || body === true || body === 'true') return filter;
  if (body === false || body === 'false') return { ...filter, enabled: false };
  if (typeof body === 'string' || Array.isArray(body)) return { ...filter, includes: toList(body) };
  if (typeof body === 'object' && body) {
    const o = body as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['includes', 'include', 'excludes', 'exclude'].includes(k)) throw EsError.parsing(`Unknown key for a START_ARRAY in [${k}].`);
    }
    return { enabled: true, includes: toList(o.includes ?? o.include), excludes: toList(o.excludes ?? o.exclude) };
  }
  throw EsError.parsing('[_source] must be a boolean, a string, an array or an object');
}

function compile(pattern: string): RegExp {
  const escaped = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`);
}

/** Applies includes/excludes (with `*` wildcards) by full dotted path, keeping objects that hold a match. */
export function filterSource(source: Record<string, unknown>, filter: SourceFilter): Record<string, unknown> | undefined {
  if (!filter.enabled) return undefined;
  if (filter.includes.length === 0 && filter.excludes.length === 0) return source;
  const inc = filter.includes.map(compile);
  const exc = filter.excludes.map(compile);
  const included = (path: string) => inc.length === 0 || inc.some((r) => r.test(path));
  const prefixOfInclude = (path: string) => filter.includes.some((p) => p.startsWith(`${path}.`) || p.startsWith('*'));
  const walk = (obj: Record<string, unknown>, prefix: string, parentIncluded: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix + key;
      if (exc.some((r) => r.test(path))) continue;
      const inHere = parentIncluded || included(path);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        if (inHere || prefixOfInclude(path)) {
          const child = walk(value as Record<string, unknown>, `${path}.`, inHere);
          if (inHere || Object.keys(child).length > 0) out[key] = child;
        }
      } else if (inHere) {
        out[key] = value;
      }
    }
    return out;
  };
  return walk(source, '', false);
}

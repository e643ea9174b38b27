/**
 * Elasticsearch's `filter_path` response filtering (REST API common options, "Response Filtering").
 *
 * Semantics, as Elasticsearch's FilterPath / FilterPathBasedFilter over Jackson's filtering generator:
 * - the parameter is a comma-separated list of dot-notation paths (tokens trimmed, empty ones ignored); a token
 *   starting with `-` is an exclusion; `\.` is a literal dot inside a field name;
 * - the paths form a tree; at each object level a field name is matched against the current nodes' children:
 *   exactly, or by glob when the segment holds a `*` (`*` matches any run of characters); a `**` node stays
 *   current at every level below it (so `**.name` matches `name` at depth >= 2, not at the top); a shorter path
 *   wins over a longer one through it (`a` with `a.b` keeps all of `a`);
 * - a field whose path ends at a matching node is kept whole (inclusive) or dropped whole (exclusive); a field
 *   no path reaches is dropped (inclusive) or kept whole (exclusive); a field part-way along a path is walked;
 * - arrays are transparent: their elements are filtered with the array's own nodes; scalars part-way along a
 *   path are dropped by inclusive filters and kept by exclusive ones;
 * - an object or array part-way along a path that ends up empty is left out (even if it was empty to begin
 *   with); the root object is always written, so a filter that matches nothing gives `{}`;
 * - inclusions are applied first, then exclusions to what they kept.
 * Elasticsearch filters the responses its handlers build (a 404 GET, a bulk with failed items too) but builds error
 * bodies (`{"error":{...},"status":N}`) with filtering disabled (AbstractRestChannel.newErrorBuilder).
 */

interface FilterNode {
  readonly pattern: string;
  readonly isFinal: boolean;
  readonly isDoubleWildcard: boolean;
  readonly terms: Map<string, FilterNode>;
  readonly wildcards: FilterNode[];
}

/** A field name matched the end of a path. */
const MATCH = 1;
/** No path reaches the field. */
const NONE = 0;

/** The set of tree nodes current at one level, with the outcome of each field name already seen there. */
class FilterState {
  private readonly seen = new Map<string, FilterState | typeof MATCH | typeof NONE>();
  /**
   * The only field names that can match here, when the current nodes have no wildcard below them (as at every level
   * of `items.*.status,items.*.error` under the `*`): an inclusive filter then looks these up instead of walking every
   * field of a large object.
   */
  readonly names: string[] | undefined;

  constructor(private readonly nodes: FilterNode[]) {
    const names = new Set<string>();
    for (const node of nodes) {
      if (node.wildcards.length > 0 || node.isDoubleWildcard) {
        this.names = undefined;
        return;
      }
      for (const name of node.terms.keys()) names.add(name);
    }
    this.names = [...names];
  }

  next(name: string): FilterState | typeof MATCH | typeof NONE {
    let outcome = this.seen.get(name);
    if (outcome === undefined) {
      outcome = this.evaluate(name);
      this.seen.set(name, outcome);
    }
    return outcome;
  }

  private evaluate(name: string): FilterState | typeof MATCH | typeof NONE {
    const next: FilterNode[] = [];
    for (const node of this.nodes) {
      const term = node.terms.get(name);
      if (term) {
        if (term.isFinal) return MATCH;
        next.push(term);
      }
      for (const wildcard of node.wildcards) {
        if (globMatch(wildcard.pattern, name)) {
          if (wildcard.isFinal) return MATCH;
          next.push(wildcard);
        }
      }
      if (node.isDoubleWildcard) next.push(node);
    }
    return next.length === 0 ? NONE : new FilterState(next);
  }
}

/** `*` matches any run of characters (none included); every other character matches itself. */
export function globMatch(pattern: string, text: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === text;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '') continue;
    const found = text.indexOf(parts[i], at);
    if (found < 0 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}

interface BuildNode {
  isFinal: boolean;
  children: Map<string, BuildNode>;
}

function insert(node: BuildNode, path: string): void {
  let split = -1;
  let escaped = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '.') {
      split = i;
      break;
    }
    if (c === '\\' && path[i + 1] === '.') {
      escaped = true;
      i++;
    }
  }
  const unescape = (s: string) => (escaped ? s.replaceAll('\\.', '.') : s);
  if (split > 0) {
    const field = unescape(path.slice(0, split));
    let child = node.children.get(field);
    if (!child) {
      child = { isFinal: false, children: new Map() };
      node.children.set(field, child);
    }
    if (!child.isFinal) insert(child, path.slice(split + 1));
  } else {
    node.children.set(unescape(path), { isFinal: true, children: new Map() });
  }
}

function freeze(pattern: string, node: BuildNode): FilterNode {
  const terms = new Map<string, FilterNode>();
  const wildcards: FilterNode[] = [];
  for (const [name, child] of node.children) {
    const built = freeze(name, child);
    if (name.includes('*')) wildcards.push(built);
    else terms.set(name, built);
  }
  return { pattern, isFinal: node.isFinal, isDoubleWildcard: pattern === '**', terms, wildcards };
}

function compile(paths: string[]): FilterNode | undefined {
  const root: BuildNode = { isFinal: false, children: new Map() };
  let any = false;
  for (const raw of paths) {
    const path = raw.trim();
    if (path.length === 0) continue;
    insert(root, path);
    any = true;
  }
  return any ? freeze('', root) : undefined;
}

/** A parsed `filter_path`; build one per request and apply it to the response body. */
export class ResponseFilter {
  private constructor(
    private readonly includes: FilterNode | undefined,
    private readonly excludes: FilterNode | undefined,
  ) {}

  /** Parses the parameter's value; undefined when it holds no filter at all (then nothing is filtered). */
  static parse(value: string): ResponseFilter | undefined {
    const includes: string[] = [];
    const excludes: string[] = [];
    for (const token of value.split(',')) {
      const t = token.trim();
      if (t.length === 0) continue;
      if (t[0] === '-') excludes.push(t.slice(1));
      else includes.push(t);
    }
    if (includes.length === 0 && excludes.length === 0) return undefined;
    return new ResponseFilter(compile(includes), compile(excludes));
  }

  /**
   * The filtered body. Kept parts are shared with `body`, not copied (neither is modified). A root object always
   * gives an object (`{}` when nothing is left); a root array gives an array.
   */
  apply(body: unknown): unknown {
    let out = body;
    if (this.includes) out = filterInclusive(out, new FilterState([this.includes]));
    if (this.excludes && out !== undefined) out = filterExclusive(out, new FilterState([this.excludes]));
    if (out === undefined) return Array.isArray(body) ? [] : {};
    return out;
  }
}

/** What JSON.stringify would write for an object with a `toJSON` method. */
function jsonValue(value: object): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

/** The elements `filter` keeps (arrays are transparent to paths); undefined when it keeps none. */
function filterElements(array: unknown[], filter: (element: unknown) => unknown): unknown[] | undefined {
  let out: unknown[] | undefined;
  for (const element of array) {
    const kept = filter(element);
    if (kept !== undefined) (out ??= []).push(kept);
  }
  return out;
}

function filterInclusive(input: unknown, state: FilterState): unknown {
  const value = input !== null && typeof input === 'object' ? jsonValue(input) : input;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return filterElements(value, (element) => filterInclusive(element, state));
  const object = value as Record<string, unknown>;
  const names = state.names;
  if (names !== undefined && names.length <= 4) {
    // Few names can match: find them directly. One present (or none) needs no walk; several keep the object's order.
    let present: string | undefined;
    let count = 0;
    for (const name of names) {
      if (Object.hasOwn(object, name) && object[name] !== undefined) {
        present = name;
        count++;
      }
    }
    if (count === 0) return undefined;
    if (count === 1) return includeField(undefined, present as string, object[present as string], state);
  }
  let out: Record<string, unknown> | undefined;
  for (const key in object) {
    const field = object[key];
    if (field !== undefined) out = includeField(out, key, field, state);
  }
  return out;
}

/** `out` with `key` added when the filter keeps some of `field` (created on the first field kept). */
function includeField(out: Record<string, unknown> | undefined, key: string, field: unknown, state: FilterState): Record<string, unknown> | undefined {
  const next = state.next(key);
  if (next === NONE) return out;
  const kept = next === MATCH ? field : filterInclusive(field, next);
  if (kept !== undefined) (out ??= {})[key] = kept;
  return out;
}

function filterExclusive(input: unknown, state: FilterState): unknown {
  const value = input !== null && typeof input === 'object' ? jsonValue(input) : input;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return filterElements(value, (element) => filterExclusive(element, state));
  let out: Record<string, unknown> | undefined;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const field = object[key];
    if (field === undefined) continue;
    const next = state.next(key);
    if (next === MATCH) continue;
    const kept = next === NONE ? field : filterExclusive(field, next);
    if (kept !== undefined) (out ??= {})[key] = kept;
  }
  return out;
}

/**
 * The metric names a PromQL expression reads. Enough of PromQL's lexical structure to be exact for the queries in
 * our dashboard and alert rules: strings, label matchers `{...}`, ranges/subqueries `[...]`, grouping modifiers
 * (`by (...)`, `on (...)`, ...) and Grafana variables are dropped; numbers and durations are skipped; an identifier
 * followed by `(` is a function or aggregation; the remaining identifiers that are not keywords are metric names.
 */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);

function stripBalanced(text: string, open: string, close: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === open) depth++;
    else if (ch === close && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

export function metricNamesInPromql(expr: string): string[] {
  let text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // string literals
    .replace(/\$\{[^}]*\}|\$[A-Za-z_]\w*/g, ' '); // Grafana variables: ${service}, $__rate_interval
  text = stripBalanced(text, '{', '}');
  text = stripBalanced(text, '[', ']');
  // label_values(metric, label) in Grafana variable queries: keep the metric, drop the label.
  text = text.replace(/\blabel_values\s*\(\s*([A-Za-z_:][\w:]*)\s*,[^)]*\)/g, ' $1 ');
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  const token = /[A-Za-z_:][\w:]*|\d[\w.]*(?:[eE][+-]?\d+)?/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(text)) !== null) {
    const word = m[0];
    if (/^\d/.test(word)) continue;
    if (/^\s*\(/.test(text.slice(token.lastIndex))) continue;
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** Label names a PromQL expression groups or matches on: `by/without/on/ignoring/group_*(...)` lists and `{label=...}` matchers. */
export function labelNamesInPromql(expr: string): string[] {
  const text = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const names = new Set<string>();
  for (const m of text.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',').map((x) => x.trim()).filter(Boolean)) names.add(l);
  }
  for (const m of text.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1].matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)) names.add(l[1]);
  }
  return [...names].sort();
}

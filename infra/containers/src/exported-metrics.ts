import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createMetricsRegistry } from '@nova/runtime';
import { REPO_ROOT } from './compose';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface ExportedMetric {
  name: string;
  type: MetricType;
  /** Label names it is exported with (prom-client `labelNames`; the `service` default label comes on top). */
  labels: string[];
  /** Where it is defined: `path:line`, or `prom-client default metrics`. */
  source: string;
}

const SOURCE_DIRS = ['apps', 'libs'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'test' || entry === 'bench' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * The `nova_*` metrics the apps define, read statically from the production sources of apps/** and libs/**
 * (prom-client constructors: `new Counter({ name: 'nova_...', ... })`, also `new client.Gauge(...)` etc.).
 * A `name: 'nova_...'` whose constructor cannot be identified is reported with type undefined by `unresolvedNovaNames`.
 */
export function novaMetricsFromSources(root = REPO_ROOT): { metrics: ExportedMetric[]; unresolved: string[] } {
  const metrics: ExportedMetric[] = [];
  const unresolved: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      const re = /\bname:\s*(['"`])(nova_[a-z0-9_:]+)\1/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const before = text.slice(Math.max(0, m.index - 200), m.index);
        const ctor = [...before.matchAll(/new\s+(?:[A-Za-z_$][\w$]*\.)?(Counter|Gauge|Histogram|Summary)\b/g)].pop();
        const line = text.slice(0, m.index).split('\n').length;
        const source = `${path.relative(root, file)}:${line}`;
        const after = text.slice(m.index).split(/\}\s*\)/)[0]; // the rest of this constructor's options object
        const labelList = /labelNames:\s*\[([^\]]*)\]/.exec(after)?.[1] ?? '';
        const labels = [...labelList.matchAll(/['"`]([A-Za-z_]\w*)['"`]/g)].map((l) => l[1]);
        if (!ctor) unresolved.push(`${m[2]} (${source})`);
        else metrics.push({ name: m[2], type: ctor[1].toLowerCase() as MetricType, labels, source });
      }
    }
  }
  return { metrics, unresolved };
}

/** prom-client's default metrics exactly as every app registers them (`createMetricsRegistry` from @nova/runtime). */
export async function defaultProcessMetrics(): Promise<ExportedMetric[]> {
  const registry = createMetricsRegistry('metrics-inventory');
  const json = await registry.getMetricsAsJSON();
  registry.clear();
  return json.map((m) => ({
    name: m.name,
    type: String(m.type) as MetricType,
    labels: [...new Set(m.values.flatMap((v) => Object.keys(v.labels ?? {})))].filter((l) => l !== 'service'),
    source: 'prom-client default metrics',
  }));
}

/** Every series name a metric produces in the exposition format (histograms: _bucket, _sum, _count; summaries: _sum, _count). */
export function seriesNames(metric: ExportedMetric): string[] {
  if (metric.type === 'histogram') return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
  if (metric.type === 'summary') return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
  return [metric.name];
}

/** Series Prometheus itself adds to every scrape target. */
export const PROMETHEUS_SYNTHETIC_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** Labels every series carries besides its own: the apps' default label and the ones Prometheus attaches per target. */
export const TARGET_LABELS = ['service', 'job', 'instance'];

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readYamlFile, REPO_ROOT } from '../src/compose';
import { alertQueries, alertRules, allPanels, dashboardFiles, dashboardQueries, readDashboard, ALERTS_FILE, type Query } from '../src/dashboard-queries';
import { defaultProcessMetrics, novaMetricsFromSources, PROMETHEUS_SYNTHETIC_SERIES, seriesNames, TARGET_LABELS, type ExportedMetric } from '../src/exported-metrics';
import { labelNamesInPromql, metricNamesInPromql } from '../src/promql-metrics';

let exported: ExportedMetric[];
let series: Map<string, string>;
let labelsOf: Map<string, string[]>;
let unresolved: string[];

beforeAll(async () => {
  const nova = novaMetricsFromSources();
  unresolved = nova.unresolved;
  exported = [...nova.metrics, ...(await defaultProcessMetrics())];
  series = new Map(exported.flatMap((m) => seriesNames(m).map((s) => [s, m.source] as const)));
  for (const s of PROMETHEUS_SYNTHETIC_SERIES) series.set(s, 'Prometheus (per scrape target)');
  labelsOf = new Map(exported.flatMap((m) => seriesNames(m).map((s) => [s, s.endsWith('_bucket') ? [...m.labels, 'le'] : m.labels] as const)));
});

/** Labels a query groups by, matches on or shows in its legend that none of its metrics carries. */
function unknownLabels(queries: Query[]): string[] {
  return queries.flatMap((q) => {
    const allowed = new Set([...TARGET_LABELS, ...metricNamesInPromql(q.expr).flatMap((n) => labelsOf.get(n) ?? [])]);
    const used = [...labelNamesInPromql(q.expr), ...[...(q.legend ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1])];
    return [...new Set(used)].filter((l) => !allowed.has(l)).map((l) => `${q.where}: ${l}`);
  });
}

function missingMetrics(queries: Query[]): string[] {
  return queries.flatMap((q) => metricNamesInPromql(q.expr).filter((n) => !series.has(n)).map((n) => `${q.where}: ${n}`));
}

describe('metrics the apps export (read from apps/** and libs/** sources, plus prom-client defaults)', () => {
  it('finds every app’s metrics, each with a known prom-client type', () => {
    expect(unresolved).toEqual([]);
    for (const prefix of ['nova_producer_', 'nova_indexer_', 'nova_search_']) {
      expect({ prefix, found: exported.some((m) => m.name.startsWith(prefix)) }).toEqual({ prefix, found: true });
    }
    expect(series.has('process_resident_memory_bytes')).toBe(true);
    expect(series.has('nova_indexer_commit_to_indexed_seconds_bucket')).toBe(true);
  });
});

describe('PromQL metric-name extraction', () => {
  it.each([
    ['sum by (topic) (rate(nova_a_total[$__rate_interval]))', ['nova_a_total']],
    ['histogram_quantile(0.99, sum by (le, backend) (rate(x_seconds_bucket{route="/api/v1"}[5m])))', ['x_seconds_bucket']],
    ['(sum(a) > 0) and (sum(rate(b[5m])) == 0)', ['a', 'b']],
    ['max(x) > 1e9 or on (job) up offset 5m', ['up', 'x']],
    ['label_values(nova_b, service)', ['nova_b']],
    ['rate(c[$__rate_interval]) * 100 / ignoring (kind) group_left d{kind=~"a|b"}', ['c', 'd']],
  ])('%s', (expr, names) => {
    expect(metricNamesInPromql(expr)).toEqual(names);
  });
});

describe('infra/grafana dashboards', () => {
  it('provision against the Prometheus data source that Grafana is given', () => {
    const ds = readYamlFile<{ datasources: { uid: string; type: string; url: string }[] }>(
      path.join(REPO_ROOT, 'infra/grafana/provisioning/datasources/prometheus.yml'),
    );
    const uids = new Set(ds.datasources.filter((d) => d.type === 'prometheus').map((d) => d.uid));
    for (const file of dashboardFiles()) {
      for (const p of allPanels(readDashboard(file).panels).filter((x) => x.type !== 'row')) {
        expect({ panel: p.title, uid: p.datasource?.uid, known: uids.has(p.datasource?.uid ?? '') }).toEqual({ panel: p.title, uid: p.datasource?.uid, known: true });
      }
    }
    const provider = readYamlFile<{ providers: { options: { path: string } }[] }>(path.join(REPO_ROOT, 'infra/grafana/provisioning/dashboards/nova.yml'));
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
  });

  it('cover throughput, commit-to-searchable latency, slot lag, consumer lag, dead letters, search latency and backend, memory', () => {
    const d = readDashboard(path.join(REPO_ROOT, 'infra/grafana/dashboards/nova-pipeline.json'));
    const byTitle = new Map(allPanels(d.panels).map((p) => [p.title ?? '', (p.targets ?? []).map((t) => t.expr ?? '').join('\n')]));
    const needs: [string, RegExp][] = [
      ['Pipeline throughput', /nova_producer_events_published_total[\s\S]*nova_indexer_records_indexed_total/],
      ['Commit-to-searchable latency', /nova_indexer_commit_to_indexed_seconds_bucket/],
      ['Replication slot lag', /nova_producer_slot_lag_bytes/],
      ['Kafka consumer lag', /nova_indexer_consumer_lag/],
      ['Dead-lettered records', /nova_indexer_records_dead_lettered_total/],
      ['Search latency', /nova_search_request_duration_seconds_bucket/],
      ['Search backend in use', /sum by \(backend\)/],
      ['Per-process memory (resident)', /process_resident_memory_bytes/],
    ];
    for (const [title, re] of needs) expect({ title, matches: re.test(byTitle.get(title) ?? '') }).toEqual({ title, matches: true });
  });

  it('name no metric that no app exports', () => {
    expect(dashboardQueries().length).toBeGreaterThan(10);
    expect(missingMetrics(dashboardQueries())).toEqual([]);
  });

  it('group, match and label legends only by labels their metrics carry (labelNames, service, job, instance, le)', () => {
    expect(unknownLabels(dashboardQueries())).toEqual([]);
    expect(unknownLabels(alertQueries())).toEqual([]);
    expect(unknownLabels([{ where: 'probe', expr: 'sum by (topik) (nova_indexer_consumer_lag{partition="0"})', legend: '{{topic}} {{reason}}' }])).toEqual([
      'probe: topik',
      'probe: reason',
    ]);
  });

  it('fails on a metric nobody exports (the check is not vacuous)', () => {
    expect(missingMetrics([{ where: 'probe', expr: 'sum(rate(nova_indexer_records_indexd_total[5m]))' }])).toEqual(['probe: nova_indexer_records_indexd_total']);
  });
});

describe('infra/prometheus/alerts.yml', () => {
  it('reads the same rules line by line as PyYAML does', () => {
    const parsed = readYamlFile<{ groups: { rules: { alert: string; expr: string; for?: string; labels?: { severity?: string }; annotations?: { summary?: string } }[] }[] }>(ALERTS_FILE);
    const rules = parsed.groups.flatMap((g) => g.rules);
    expect(alertRules()).toEqual(rules.map((r) => ({ alert: r.alert, expr: String(r.expr) })));
    for (const r of rules) {
      expect({ alert: r.alert, severity: r.labels?.severity, summary: Boolean(r.annotations?.summary), for: /^\d+[smh]$/.test(r.for ?? '') }).toEqual({
        alert: r.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
        summary: true,
        for: true,
      });
    }
  });

  it('alert on slot lag, consumer lag, dead letters and a stalled pipeline', () => {
    const exprs = new Map(alertRules().map((r) => [r.alert, r.expr]));
    expect(exprs.get('NovaReplicationSlotLagHigh')).toMatch(/nova_producer_slot_lag_bytes/);
    expect(exprs.get('NovaConsumerLagHigh')).toMatch(/nova_indexer_consumer_lag/);
    expect(exprs.get('NovaDeadLetteredRecords')).toMatch(/nova_indexer_records_dead_lettered_total/);
    expect(exprs.get('NovaPipelineStalled')).toMatch(/nova_indexer_consumer_lag[\s\S]*nova_indexer_records_consumed_total/);
  });

  it('name no metric that no app exports, with balanced brackets in every expression', () => {
    expect(missingMetrics(alertQueries())).toEqual([]);
    for (const q of [...alertQueries(), ...dashboardQueries()]) {
      for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']]) {
        expect({ where: q.where, open, balanced: q.expr.split(open).length === q.expr.split(close).length }).toEqual({ where: q.where, open, balanced: true });
      }
    }
  });

  it('is loaded by the Prometheus config', () => {
    const prom = readFileSync(path.join(REPO_ROOT, 'infra/prometheus/prometheus.yml'), 'utf8');
    expect(prom).toMatch(/rule_files:\s*\n\s*- \/etc\/prometheus\/alerts\.yml/);
  });
});

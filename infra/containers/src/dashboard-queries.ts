import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './compose';
import { metricNamesInPromql } from './promql-metrics';

export const DASHBOARDS_DIR = path.join(REPO_ROOT, 'infra/grafana/dashboards');
export const ALERTS_FILE = path.join(REPO_ROOT, 'infra/prometheus/alerts.yml');

export interface Query {
  /** Dashboard file and panel title, or alert name. */
  where: string;
  expr: string;
  /** Grafana legend template (`{{label}}`), for panel targets. */
  legend?: string;
}

interface Panel {
  title?: string;
  type?: string;
  panels?: Panel[];
  targets?: { expr?: string; legendFormat?: string; datasource?: { uid?: string } }[];
  datasource?: { uid?: string };
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: { name: string; query?: string | { query?: string } }[] };
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => path.join(DASHBOARDS_DIR, f));
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

export function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Every PromQL query of every dashboard: panel targets and template variable queries. */
export function dashboardQueries(): Query[] {
  const out: Query[] = [];
  for (const file of dashboardFiles()) {
    const d = readDashboard(file);
    for (const p of allPanels(d.panels)) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ where: `${path.basename(file)}: ${p.title ?? '(untitled)'}`, expr: t.expr, legend: t.legendFormat });
    }
    for (const v of d.templating?.list ?? []) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      if (q) out.push({ where: `${path.basename(file)}: variable ${v.name}`, expr: q });
    }
  }
  return out;
}

export interface AlertRule {
  alert: string;
  expr: string;
}

/**
 * The alert rules of infra/prometheus/alerts.yml, read line by line (each `expr` is kept on one line there), so the
 * container suites need no YAML parser; the validation suite checks this reading against PyYAML's.
 */
export function alertRules(): AlertRule[] {
  const rules: AlertRule[] = [];
  let current: AlertRule | undefined;
  for (const line of readFileSync(ALERTS_FILE, 'utf8').split('\n')) {
    const alert = /^\s*- alert:\s*(\S+)\s*$/.exec(line);
    if (alert) {
      current = { alert: alert[1], expr: '' };
      rules.push(current);
      continue;
    }
    const expr = /^\s+expr:\s*(.+?)\s*$/.exec(line);
    if (expr && current) current.expr = expr[1].replace(/^(['"])(.*)\1$/, '$2');
  }
  return rules;
}

export function alertQueries(): Query[] {
  return alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }));
}

/** Every metric name the dashboards and the alert rules read. */
export function dashboardMetricNames(): string[] {
  return [...new Set([...dashboardQueries(), ...alertQueries()].flatMap((q) => metricNamesInPromql(q.expr)))].sort();
}

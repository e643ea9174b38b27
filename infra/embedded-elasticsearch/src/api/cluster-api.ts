import { EsError } from '../http/es-error';
import type { Router } from '../http/router';
import type { IndexStore } from '../index/index-store';
import type { ServerContext } from './server-context';

/** The version `GET /` reports; the 9.x client accepts any 9.x (and checks the `x-elastic-product` header). */
export const ES_VERSION = '9.1.0';

function humanBytes(n: number): string {
  if (n < 1024) return `${n}b`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)}kb`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}mb`;
  return `${(n / 1024 ** 3).toFixed(1)}gb`;
}

export function registerClusterRoutes(router: Router, ctx: ServerContext): void {
  const { cluster } = ctx;
  const info = () => ({
    status: 200,
    body: {
      name: ctx.nodeName,
      cluster_name: ctx.clusterName,
      cluster_uuid: ctx.clusterUuid,
      version: {
        number: ES_VERSION, build_flavor: 'default', build_type: 'embedded', build_hash: 'embedded', build_date: '2026-01-01T00:00:00.000Z',
        build_snapshot: false, lucene_version: '10.2.2', minimum_wire_compatibility_version: '8.19.0', minimum_index_compatibility_version: '8.0.0',
      },
      tagline: 'You Know, for Search',
    },
  });
  router.add('GET', '/', [], info);
  router.add('HEAD', '/', [], () => ({ status: 200 }));

  const health = (stores: IndexStore[], waitFor: string | null) => {
    const yellow = stores.some((s) => s.shards.total > 1);
    const status = yellow ? 'yellow' : 'green';
    const primaries = stores.length;
    const unassigned = stores.reduce((n, s) => n + s.shards.total - 1, 0);
    const timedOut = waitFor === 'green' && yellow;
    return {
      status: timedOut ? 408 : 200,
      body: {
        cluster_name: ctx.clusterName, status, timed_out: timedOut, number_of_nodes: 1, number_of_data_nodes: 1,
        active_primary_shards: primaries, active_shards: primaries, relocating_shards: 0, initializing_shards: 0,
        unassigned_shards: unassigned, unassigned_primary_shards: 0, delayed_unassigned_shards: 0, number_of_pending_tasks: 0,
        number_of_in_flight_fetch: 0, task_max_waiting_in_queue_millis: 0,
        active_shards_percent_as_number: primaries + unassigned === 0 ? 100 : (100 * primaries) / (primaries + unassigned),
      },
    };
  };
  const healthParams = ['wait_for_status', 'timeout', 'master_timeout', 'local', 'level', 'wait_for_no_relocating_shards', 'wait_for_no_initializing_shards', 'wait_for_active_shards', 'wait_for_nodes', 'wait_for_events'];
  router.add('GET', '/_cluster/health', healthParams, (req) => {
    if (req.query.has('level') && req.query.get('level') !== 'cluster') throw EsError.unsupported(`cluster health level [${req.query.get('level')}]`);
    return health([...cluster.indices.values()], req.query.get('wait_for_status'));
  });
  router.add('GET', '/_cluster/health/{index}', healthParams, (req) => health(cluster.resolve(req.params.index, { allowNoIndices: false }), req.query.get('wait_for_status')));

  const cat = (expr: string, query: URLSearchParams) => {
    for (const p of ['h', 's', 'bytes', 'health', 'pri', 'time']) if (query.has(p)) throw EsError.unsupported(`_cat/indices parameter [${p}]`);
    const stores = cluster.resolve(expr, { allowNoIndices: true }).sort((a, b) => a.name.localeCompare(b.name));
    const rows = stores.map((s) => {
      const docs = s.searchableDocs;
      const size = humanBytes(docs.count * 1024);
      return {
        health: s.shards.total > 1 ? 'yellow' : 'green', status: 'open', index: s.name, uuid: s.uuid, pri: '1', rep: String(s.shards.total - 1),
        'docs.count': String(docs.count), 'docs.deleted': String(docs.deleted), 'store.size': size, 'pri.store.size': size, 'dataset.size': size,
      };
    });
    const format = query.get('format');
    if (format === 'json') return { status: 200, body: rows };
    if (format && format !== 'txt') throw EsError.unsupported(`_cat format [${format}]`);
    const header = ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size', 'dataset.size'];
    const table = rows.map((r) => header.map((h) => (r as Record<string, string>)[h]));
    if (query.has('v')) table.unshift(header);
    const widths = header.map((_, i) => Math.max(0, ...table.map((row) => row[i].length)));
    return { status: 200, body: table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join(' ').trimEnd() + '\n').join('') };
  };
  const catParams = ['format', 'v', 'h', 's', 'bytes', 'health', 'pri', 'time', 'expand_wildcards', 'master_timeout', 'local', 'help'];
  router.add('GET', '/_cat/indices', catParams, (req) => cat('_all', req.query));
  router.add('GET', '/_cat/indices/{index}', catParams, (req) => cat(req.params.index, req.query));

  // Not Elasticsearch: fault injection for tests that run this server in another process.
  router.add('GET', '/_embedded/faults', [], () => ({ status: 200, body: ctx.faults.snapshot() }));
  router.add('POST', '/_embedded/faults', [], (req) => {
    const body = req.json() ?? {};
    for (const key of Object.keys(body)) {
      if (!['reject_bulk_items', 'unavailable_ms', 'latency_ms'].includes(key)) throw EsError.badRequest(`unknown fault [${key}]`);
    }
    if (body.reject_bulk_items !== undefined) ctx.faults.rejectNextBulkItems(Number(body.reject_bulk_items));
    if (body.unavailable_ms !== undefined) ctx.faults.unavailableFor(Number(body.unavailable_ms));
    if (body.latency_ms !== undefined) ctx.faults.setLatency(Number(body.latency_ms));
    return { status: 200, body: ctx.faults.snapshot() };
  });
  router.add('DELETE', '/_embedded/faults', [], () => {
    ctx.faults.reset();
    return { status: 200, body: ctx.faults.snapshot() };
  });
}

import { EsError } from '../http/es-error';
import type { Router } from '../http/router';
import type { AliasAction } from '../index/cluster';
import type { IndexStore } from '../index/index-store';
import { parseIndexSettings } from '../index/index-settings';
import type { ServerContext } from './server-context';

/** Settings as `GET /{index}/_settings` prints them: nested under `index`, values as strings. */
export function settingsBody(store: IndexStore): Record<string, unknown> {
  const index: Record<string, unknown> = {
    number_of_shards: '1',
    number_of_replicas: '1',
    uuid: store.uuid,
    creation_date: String(store.creationDate),
    provided_name: store.name,
    version: { created: '9009000' },
  };
  for (const [key, value] of Object.entries(store.settings.flat)) {
    const path = key.replace(/^index\./, '').split('.');
    let target = index;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]] = key === 'index.analysis' ? value : String(value);
  }
  return { index };
}

function resolveStrict(ctx: ServerContext, expression: string): IndexStore[] {
  return ctx.cluster.resolve(expression, { allowNoIndices: expression.includes('*') || expression === '_all' });
}

export function registerIndexRoutes(router: Router, ctx: ServerContext): void {
  const { cluster } = ctx;
  const shards = (stores: IndexStore[]) => ({ total: stores.reduce((n, s) => n + s.shards.total, 0), successful: stores.length, failed: 0 });

  router.add('PUT', '/{index}', ['timeout', 'master_timeout', 'wait_for_active_shards'], (req) => {
    const store = cluster.createIndex(req.params.index, req.json() ?? {});
    return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: store.name } };
  });
  router.add('HEAD', '/{index}', ['allow_no_indices', 'expand_wildcards', 'ignore_unavailable', 'local', 'flat_settings', 'include_defaults'], (req) => {
    try {
      return { status: resolveStrict(ctx, req.params.index).length > 0 ? 200 : 404 };
    } catch (e) {
      if (e instanceof EsError && e.status === 404) return { status: 404 };
      throw e;
    }
  });
  router.add('GET', '/{index}', ['flat_settings', 'include_defaults', 'master_timeout'], (req) => {
    const body: Record<string, unknown> = {};
    for (const store of resolveStrict(ctx, req.params.index)) {
      body[store.name] = { aliases: cluster.aliasesOf(store.name), mappings: store.mappings.toJSON(), settings: settingsBody(store) };
    }
    return { status: 200, body };
  });
  router.add('DELETE', '/{index}', ['timeout', 'master_timeout', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards'], (req) => {
    const names = req.params.index.split(',');
    if (names.some((n) => n.includes('*') || n === '_all')) throw EsError.unsupported('deleting indices by wildcard or _all');
    for (const n of names) if (!cluster.indices.has(n) && !cluster.aliases.has(n)) throw EsError.indexNotFound(n);
    cluster.deleteIndices(names);
    return { status: 200, body: { acknowledged: true } };
  });

  const getMapping = (expr: string) => {
    const body: Record<string, unknown> = {};
    for (const store of resolveStrict(ctx, expr)) body[store.name] = { mappings: store.mappings.toJSON() };
    return { status: 200, body };
  };
  router.add('GET', '/_mapping', [], () => getMapping('_all'));
  router.add('GET', '/{index}/_mapping', ['master_timeout', 'local', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards'], (req) => getMapping(req.params.index));
  router.add(['PUT', 'POST'], '/{index}/_mapping', ['timeout', 'master_timeout', 'write_index_only'], (req) => {
    const stores = resolveStrict(ctx, req.params.index);
    const body = req.json() ?? {};
    for (const store of stores) store.mappings.merge(body);
    return { status: 200, body: { acknowledged: true } };
  });

  const getSettings = (expr: string) => {
    const body: Record<string, unknown> = {};
    for (const store of resolveStrict(ctx, expr)) body[store.name] = { settings: settingsBody(store) };
    return { status: 200, body };
  };
  router.add('GET', '/_settings', [], () => getSettings('_all'));
  router.add('GET', '/{index}/_settings', ['flat_settings', 'include_defaults', 'master_timeout', 'local'], (req) => getSettings(req.params.index));
  router.add('PUT', '/{index}/_settings', ['timeout', 'master_timeout', 'preserve_existing'], (req) => {
    const stores = resolveStrict(ctx, req.params.index);
    const update = parseIndexSettings(req.json() ?? {});
    for (const key of Object.keys(update.flat)) {
      if (!['index.refresh_interval', 'index.number_of_replicas', 'index.gc_deletes', 'index.max_result_window'].includes(key)) {
        throw EsError.badRequest(`Can't update non dynamic settings [[${key}]] for open indices`);
      }
    }
    for (const store of stores) store.updateSettings(update.flat);
    return { status: 200, body: { acknowledged: true } };
  });

  const refresh = (expr: string) => {
    const stores = resolveStrict(ctx, expr);
    for (const s of stores) s.refresh();
    return { status: 200, body: { _shards: shards(stores) } };
  };
  router.add(['POST', 'GET'], '/_refresh', ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards'], () => refresh('_all'));
  router.add(['POST', 'GET'], '/{index}/_refresh', ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards'], (req) => refresh(req.params.index));

  const stats = (expr: string) => {
    const stores = resolveStrict(ctx, expr);
    const docs = (s: IndexStore) => ({ docs: s.searchableDocs });
    const sum = { docs: { count: stores.reduce((n, s) => n + s.searchableDocs.count, 0), deleted: stores.reduce((n, s) => n + s.searchableDocs.deleted, 0) } };
    const indices: Record<string, unknown> = {};
    for (const s of stores) {
      indices[s.name] = { uuid: s.uuid, health: s.shards.total > 1 ? 'yellow' : 'green', status: 'open', primaries: docs(s), total: docs(s) };
    }
    return { status: 200, body: { _shards: shards(stores), _all: { primaries: sum, total: sum }, indices } };
  };
  router.add('GET', '/_stats', ['level'], () => stats('_all'));
  router.add('GET', '/{index}/_stats', ['level'], (req) => stats(req.params.index));
  router.add('GET', '/{index}/_stats/{metric}', ['level'], (req) => {
    if (req.params.metric !== 'docs') throw EsError.unsupported(`stats metric [${req.params.metric}]`);
    return stats(req.params.index);
  });

  router.add('POST', '/_aliases', ['timeout', 'master_timeout'], (req) => {
    const body = req.json() ?? {};
    if (!Array.isArray(body.actions)) throw EsError.parsing('[aliases] failed to parse field [actions]');
    const actions: AliasAction[] = (body.actions as Array<Record<string, Record<string, unknown>>>).map((a) => {
      const [type, spec] = Object.entries(a)[0] ?? [];
      if (!['add', 'remove', 'remove_index'].includes(type)) throw EsError.parsing(`[aliases] unknown alias action [${type}]`);
      for (const key of Object.keys(spec)) {
        if (!['index', 'indices', 'alias', 'aliases', 'is_write_index', 'must_exist'].includes(key)) throw EsError.unsupported(`alias action option [${key}]`);
      }
      const list = (one: unknown, many: unknown) => (many !== undefined ? (many as string[]) : one !== undefined ? [String(one)] : []);
      return {
        type: type as AliasAction['type'],
        indices: list(spec.index, spec.indices),
        aliases: list(spec.alias, spec.aliases),
        isWriteIndex: spec.is_write_index as boolean | undefined,
        mustExist: spec.must_exist as boolean | undefined,
      };
    });
    cluster.updateAliases(actions);
    return { status: 200, body: { acknowledged: true, errors: false } };
  });

  const getAliases = (indexExpr: string, aliasName: string | undefined, head: boolean) => {
    const stores = resolveStrict(ctx, indexExpr);
    const wanted = aliasName?.split(',');
    const matches = (a: string) => !wanted || wanted.some((w) => new RegExp(`^${w.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(a));
    const body: Record<string, unknown> = {};
    for (const s of stores) {
      const aliases = Object.fromEntries(Object.entries(cluster.aliasesOf(s.name)).filter(([a]) => matches(a)));
      if (!wanted || Object.keys(aliases).length > 0) body[s.name] = { aliases };
    }
    if (wanted && Object.keys(body).length === 0) {
      return { status: 404, body: head ? undefined : { error: `alias [${aliasName}] missing`, status: 404 } };
    }
    return { status: 200, body: head ? undefined : body };
  };
  router.add('GET', '/_alias', [], () => getAliases('_all', undefined, false));
  router.add('GET', '/_alias/{name}', [], (req) => getAliases('_all', req.params.name, false));
  router.add('HEAD', '/_alias/{name}', [], (req) => getAliases('_all', req.params.name, true));
  router.add('GET', '/{index}/_alias', [], (req) => getAliases(req.params.index, undefined, false));
  router.add('GET', '/{index}/_alias/{name}', [], (req) => getAliases(req.params.index, req.params.name, false));
  router.add('HEAD', '/{index}/_alias/{name}', [], (req) => getAliases(req.params.index, req.params.name, true));
  router.add(['PUT', 'POST'], '/{index}/_alias/{name}', [], (req) => {
    cluster.updateAliases([{ type: 'add', indices: req.params.index.split(','), aliases: [req.params.name] }]);
    return { status: 200, body: { acknowledged: true } };
  });
  router.add('DELETE', '/{index}/_alias/{name}', [], (req) => {
    cluster.updateAliases([{ type: 'remove', indices: req.params.index.split(','), aliases: req.params.name.split(',') }]);
    return { status: 200, body: { acknowledged: true } };
  });
}

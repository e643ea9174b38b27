import { EsError } from '../http/es-error';
import type { Router } from '../http/router';
import { parseKeepAlive } from '../search/pit-registry';
import type { ServerContext } from './server-context';

/** `POST /{index}/_pit?keep_alive=1m` opens a point in time; `DELETE /_pit` with `{id}` closes one (or `_all`). */
export function registerPitRoutes(router: Router, ctx: ServerContext): void {
  router.add('POST', '/{index}/_pit', ['keep_alive', 'ignore_unavailable', 'expand_wildcards', 'preference', 'routing', 'allow_partial_search_results'], (req) => {
    for (const p of ['routing', 'preference', 'ignore_unavailable', 'expand_wildcards']) {
      if (req.query.has(p)) throw EsError.unsupported(`parameter [${p}]`);
    }
    const keepAlive = parseKeepAlive(req.query.get('keep_alive') ?? undefined);
    const stores = ctx.cluster.resolve(req.params.index);
    const pit = ctx.pits.open(stores, keepAlive);
    return { status: 200, body: { id: pit.id, _shards: { total: stores.length, successful: stores.length, skipped: 0, failed: 0 } } };
  });
  router.add('DELETE', '/_pit', [], (req) => {
    const body = (req.json() ?? {}) as Record<string, unknown>;
    if (body.id === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no pit ids specified;');
    // As clear scroll: 404 (still "succeeded") when nothing was freed.
    const freed = ctx.pits.close(body.id) ? 1 : 0;
    return { status: freed > 0 ? 200 : 404, body: { succeeded: true, num_freed: freed } };
  });
}

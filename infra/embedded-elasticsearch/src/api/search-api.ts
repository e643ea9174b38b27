import { EsError } from '../http/es-error';
import type { EsRequest, Router } from '../http/router';
import type { IndexStore } from '../index/index-store';
import { arena } from '../query/arena';
import { MatchAllQuery } from '../query/leaf-queries';
import { parseQuery } from '../query/parse-query';
import { contextOf, executeCount, executeSearch, parseSearchRequest } from '../search/search-executor';
import { parseKeepAlive } from '../search/pit-registry';
import type { ServerContext } from './server-context';
import { applyRefresh } from './write-support';

const SEARCH_PARAMS = ['from', 'size', 'sort', 'track_total_hits', '_source', '_source_includes', '_source_excludes', 'q', 'timeout',
  'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'typed_keys', 'rest_total_hits_as_int', 'search_type', 'preference', 'request_cache', 'routing'];

function targets(ctx: ServerContext, expr: string | undefined): IndexStore[] {
  return ctx.cluster.resolve(expr ?? '_all', { allowNoIndices: true });
}

function rejectParams(req: EsRequest, names: string[]): void {
  for (const n of names) if (req.query.has(n)) throw EsError.unsupported(`parameter [${n}]`);
}

export function registerSearchRoutes(router: Router, ctx: ServerContext): void {
  const search = (req: EsRequest) => {
    rejectParams(req, ['typed_keys', 'rest_total_hits_as_int', 'search_type', 'routing', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards']);
    const request = parseSearchRequest(req.json() ?? {}, req.query);
    if (request.pit) {
      // The point in time names its indices; Elasticsearch refuses any in the path.
      if (req.params.index !== undefined) {
        throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
      }
      const keepAlive = request.pit.keepAlive === undefined ? undefined : parseKeepAlive(request.pit.keepAlive);
      const pit = ctx.pits.use(request.pit.id, keepAlive);
      return { status: 200, body: { pit_id: pit.id, ...executeSearch(pit.stores, request, { pitViews: pit.views }) } };
    }
    return { status: 200, body: executeSearch(targets(ctx, req.params.index), request) };
  };
  router.add(['GET', 'POST'], '/_search', SEARCH_PARAMS, search);
  router.add(['GET', 'POST'], '/{index}/_search', SEARCH_PARAMS, search);

  const count = (req: EsRequest) => {
    rejectParams(req, ['q', 'routing', 'min_score', 'terminate_after']);
    const body = req.json() ?? {};
    for (const key of Object.keys(body)) if (key !== 'query') throw EsError.parsing(`request does not support [${key}]`);
    const query = body.query === undefined ? new MatchAllQuery() : parseQuery(body.query);
    return { status: 200, body: executeCount(targets(ctx, req.params.index), query) };
  };
  const countParams = ['q', 'routing', 'min_score', 'terminate_after', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'preference'];
  router.add(['GET', 'POST'], '/_count', countParams, count);
  router.add(['GET', 'POST'], '/{index}/_count', countParams, count);

  router.add('POST', '/{index}/_delete_by_query', ['refresh', 'conflicts', 'wait_for_completion', 'timeout', 'slices', 'scroll_size', 'max_docs', 'q'], async (req) => {
    rejectParams(req, ['slices', 'q', 'max_docs', 'scroll_size']);
    if (req.query.get('wait_for_completion') === 'false') throw EsError.unsupported('_delete_by_query with wait_for_completion=false');
    const conflicts = req.query.get('conflicts') ?? 'abort';
    if (conflicts !== 'abort' && conflicts !== 'proceed') throw EsError.badRequest(`conflicts may only be "proceed" or "abort" but was [${conflicts}]`);
    const body = req.json() ?? {};
    for (const key of Object.keys(body)) if (key !== 'query') throw EsError.unsupported(`_delete_by_query body field [${key}]`);
    if (body.query === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
    const query = parseQuery(body.query);
    const started = Date.now();
    arena.reset();
    const stores = targets(ctx, req.params.index);
    let total = 0;
    let deleted = 0;
    let versionConflicts = 0;
    const failures: unknown[] = [];
    for (const store of stores) {
      const view = store.searchView();
      // Like Elasticsearch: the matches come from the last refresh; each delete is conditional on the document being
      // unchanged since then (if_seq_no), so concurrent writes are version conflicts, not silent deletes.
      const matched = [...query.execute(contextOf(store, view)).docs].map((d) => ({ id: view.docIds[d], source: view.sources[d] }));
      total += matched.length;
      for (const { id, source } of matched) {
        const current = store.get(id);
        try {
          if (!current || current.source !== source) {
            throw EsError.versionConflict(current ? `[${id}]: version conflict, required seqNo [${current.seqNo - 1}], primary term [1]. current document has seqNo [${current.seqNo}] and primary term [1]` : `[${id}]: version conflict, required seqNo [0], primary term [1]. but no document was found`, store.name, store.uuid);
          }
          store.write({ opType: 'delete', id, ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm });
          deleted++;
        } catch (e) {
          if (!(e instanceof EsError)) throw e;
          versionConflicts++;
          if (conflicts === 'abort') failures.push({ index: store.name, id, cause: e.errorObject(), status: e.status });
        }
        if (failures.length > 0) break;
      }
      if (failures.length > 0) break;
    }
    await applyRefresh(stores, req.query.get('refresh'));
    return {
      status: failures.length > 0 ? 409 : 200,
      body: {
        took: Date.now() - started, timed_out: false, total, deleted, batches: total === 0 ? 0 : Math.ceil(total / 1000),
        version_conflicts: versionConflicts, noops: 0, retries: { bulk: 0, search: 0 }, throttled_millis: 0,
        requests_per_second: -1, throttled_until_millis: 0, failures,
      },
    };
  });
}

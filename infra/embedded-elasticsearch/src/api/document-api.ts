import { EsError } from '../http/es-error';
import type { EsRequest, Router } from '../http/router';
import type { WriteOp } from '../index/index-store';
import { filterSource, parseSourceFilter } from '../search/source-filter';
import type { ServerContext } from './server-context';
import { applyRefresh, autoId, updateDoc, queryParam, versionOptions, writeBody, writeTarget } from './write-support';

const WRITE_PARAMS = ['version', 'version_type', 'if_seq_no', 'if_primary_term', 'refresh', 'op_type', 'timeout', 'wait_for_active_shards', 'require_alias'];
const UNSUPPORTED_WRITE_PARAMS = ['routing', 'pipeline', 'require_data_stream'];
const GET_PARAMS = ['_source', '_source_includes', '_source_excludes', 'realtime', 'refresh', 'preference'];

function rejectUnsupported(req: EsRequest, names: string[]): void {
  for (const n of names) if (req.query.has(n)) throw EsError.unsupported(`parameter [${n}]`);
}

function sourceBody(req: EsRequest): Record<string, unknown> {
  const body = req.json();
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: source is missing;');
  }
  return body;
}

export function registerDocumentRoutes(router: Router, ctx: ServerContext): void {
  const { cluster } = ctx;

  const indexDoc = (opType: 'index' | 'create', withId: boolean) => async (req: EsRequest) => {
    rejectUnsupported(req, UNSUPPORTED_WRITE_PARAMS);
    if (req.query.get('require_alias') === 'true' && !cluster.aliases.has(req.params.index)) {
      throw new EsError(404, 'index_not_found_exception', `no such index [${req.params.index}] and [require_alias] request flag is [true] and [${req.params.index}] is not an alias`, { index: req.params.index });
    }
    const requested = req.query.get('op_type');
    if (requested && requested !== 'index' && requested !== 'create') throw EsError.badRequest(`opType must be 'create' or 'index', found: [${requested}]`);
    const op: WriteOp = {
      opType: requested === 'create' ? 'create' : opType,
      id: withId ? req.params.id : autoId(),
      source: sourceBody(req),
      ...versionOptions(req.query, queryParam),
    };
    const store = writeTarget(cluster, req.params.index);
    const result = store.write(op);
    const extra = await applyRefresh([store], req.query.get('refresh'));
    return { status: result.status, body: writeBody(result, extra) };
  };

  router.add(['PUT', 'POST'], '/{index}/_doc/{id}', WRITE_PARAMS, indexDoc('index', true));
  router.add('POST', '/{index}/_doc', WRITE_PARAMS, indexDoc('index', false));
  router.add(['PUT', 'POST'], '/{index}/_create/{id}', WRITE_PARAMS, indexDoc('create', true));

  const getDoc = (req: EsRequest) => {
    if (req.query.get('realtime') === 'false') throw EsError.unsupported('parameter [realtime=false]');
    const [store] = cluster.resolve(req.params.index, { allowNoIndices: false });
    if (req.query.get('refresh') === 'true') store.refresh();
    const doc = store.get(req.params.id);
    if (!doc) return { status: 404, body: { _index: store.name, _id: req.params.id, found: false } };
    const filter = parseSourceFilter(req.query.get('_source') ?? undefined, req.query.get('_source_includes') ?? undefined, req.query.get('_source_excludes') ?? undefined);
    const source = filterSource(doc.source, filter);
    return {
      status: 200,
      body: {
        _index: store.name, _id: req.params.id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: doc.primaryTerm, found: true,
        ...(source !== undefined ? { _source: source } : {}),
      },
    };
  };
  router.add('GET', '/{index}/_doc/{id}', GET_PARAMS, getDoc);
  router.add('HEAD', '/{index}/_doc/{id}', GET_PARAMS, getDoc);
  router.add('GET', '/{index}/_source/{id}', GET_PARAMS, (req) => {
    const res = getDoc(req);
    if (res.status === 404) throw new EsError(404, 'resource_not_found_exception', `Document not found [${req.params.index}]/[${req.params.id}]`);
    return { status: 200, body: (res.body as Record<string, unknown>)._source };
  });

  router.add('DELETE', '/{index}/_doc/{id}', WRITE_PARAMS, async (req) => {
    rejectUnsupported(req, UNSUPPORTED_WRITE_PARAMS);
    const store = cluster.writeIndex(req.params.index);
    if (!store) throw EsError.indexNotFound(req.params.index);
    const result = store.write({ opType: 'delete', id: req.params.id, ...versionOptions(req.query, queryParam) });
    const extra = await applyRefresh([store], req.query.get('refresh'));
    return { status: result.status, body: writeBody(result, extra) };
  });

  router.add('POST', '/{index}/_update/{id}', ['if_seq_no', 'if_primary_term', 'refresh', 'timeout', 'wait_for_active_shards', 'require_alias', 'retry_on_conflict', '_source'], async (req) => {
    rejectUnsupported(req, ['routing', '_source']);
    const store = writeTarget(cluster, req.params.index);
    const { ifSeqNo, ifPrimaryTerm } = versionOptions(req.query, queryParam);
    const result = updateDoc(store, req.params.id, sourceBody(req), { ifSeqNo, ifPrimaryTerm });
    const extra = await applyRefresh([store], req.query.get('refresh'));
    return { status: result.status, body: writeBody(result, extra) };
  });
}

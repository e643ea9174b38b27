import { EsError } from '../http/es-error';
import type { RequestBody } from '../http/request-body';
import type { Router } from '../http/router';
import type { IndexStore, WriteOp } from '../index/index-store';
import type { ServerContext } from './server-context';
import { applyRefresh, autoId, updateDoc, versionOptions, writeBody, writeTarget } from './write-support';

const ACTIONS = new Set(['index', 'create', 'delete', 'update']);
const META_KEYS = new Set(['_index', '_id', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'require_alias', 'retry_on_conflict']);

interface BulkItem {
  action: 'index' | 'create' | 'delete' | 'update';
  meta: Record<string, unknown>;
  source?: unknown;
  sourceError?: string;
}

/** Splits the NDJSON body into actions and sources, rejecting malformed action lines as Elasticsearch does (whole request 400). */
export function parseBulkBody(body: RequestBody): BulkItem[] {
  if (body.length > 0 && !body.endsWithNewline()) throw EsError.badRequest('The bulk request must be terminated by a newline [\\n]');
  const lines = body.lines();
  const items: BulkItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let action: Record<string, unknown>;
    try {
      action = JSON.parse(line);
    } catch {
      throw EsError.badRequest(`Malformed action/metadata line [${i + 1}], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]`);
    }
    const names = Object.keys(action ?? {});
    if (names.length !== 1 || !ACTIONS.has(names[0])) {
      throw EsError.badRequest(`Malformed action/metadata line [${i + 1}], expected field [create], [delete], [index] or [update] but found [${names[0]}]`);
    }
    const name = names[0] as BulkItem['action'];
    const meta = (action[name] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(meta)) {
      if (!META_KEYS.has(key)) {
        if (['routing', 'pipeline', 'dynamic_templates', '_source', 'list_executed_pipelines', 'require_data_stream'].includes(key)) {
          throw EsError.unsupported(`bulk action parameter [${key}]`);
        }
        throw EsError.badRequest(`Action/metadata line [${i + 1}] contains an unknown parameter [${key}]`);
      }
    }
    const item: BulkItem = { action: name, meta };
    if (name !== 'delete') {
      i++;
      if (i >= lines.length || lines[i].trim() === '') throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
      try {
        item.source = JSON.parse(lines[i]);
      } catch (e) {
        item.sourceError = (e as Error).message;
      }
    }
    items.push(item);
  }
  if (items.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  return items;
}

export function registerBulkRoutes(router: Router, ctx: ServerContext): void {
  const handler = async (req: { params: Record<string, string>; query: URLSearchParams; body: RequestBody }) => {
    for (const p of ['routing', 'pipeline', '_source', '_source_includes', '_source_excludes']) {
      if (req.query.has(p)) throw EsError.unsupported(`parameter [${p}]`);
    }
    const started = Date.now();
    const items = parseBulkBody(req.body);
    const defaultIndex = req.params.index;
    const missing = items.findIndex((it) => !it.meta._index && !defaultIndex);
    if (missing >= 0) throw new EsError(400, 'action_request_validation_exception', `Validation Failed: ${missing + 1}: index is missing;`);
    const touched = new Set<IndexStore>();
    let errors = false;
    const results = items.map((item) => {
      const indexName = String(item.meta._index ?? defaultIndex);
      const id = item.meta._id === undefined ? undefined : String(item.meta._id);
      try {
        if (ctx.faults.takeBulkRejection()) {
          throw new EsError(429, 'es_rejected_execution_exception',
            'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=0, max_coordinating_and_primary_bytes=0] (fault injected by embedded-elasticsearch)');
        }
        const store = item.action === 'delete' ? ctx.cluster.writeIndex(indexName) : writeTarget(ctx.cluster, indexName);
        if (!store) throw EsError.indexNotFound(indexName);
        if (item.sourceError !== undefined) throw new EsError(400, 'document_parsing_exception', `failed to parse: ${item.sourceError}`);
        if (item.action !== 'delete' && (!item.source || typeof item.source !== 'object' || Array.isArray(item.source))) {
          throw new EsError(400, 'document_parsing_exception', 'failed to parse, document is empty');
        }
        if ((item.action === 'delete' || item.action === 'update') && id === undefined) {
          throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing;');
        }
        const versions = versionOptions(item.meta, metaValue);
        let result;
        if (item.action === 'update') {
          result = updateDoc(store, id as string, item.source as Record<string, unknown>, versions);
        } else {
          // Built field by field, not spread: this runs for every document.
          const op: WriteOp = {
            opType: item.action,
            id: id ?? autoId(),
            source: item.action !== 'delete' ? (item.source as Record<string, unknown>) : undefined,
            version: versions.version,
            versionType: versions.versionType,
            ifSeqNo: versions.ifSeqNo,
            ifPrimaryTerm: versions.ifPrimaryTerm,
          };
          result = store.write(op);
        }
        touched.add(store);
        // A write's result already has the bulk item's fields in Elasticsearch's order, status last.
        return { [item.action]: item.action === 'update' ? { ...writeBody(result), status: result.status } : result };
      } catch (e) {
        if (!(e instanceof EsError)) throw e;
        errors = true;
        const concrete = safeConcrete(ctx, indexName);
        return { [item.action]: { _index: concrete, _id: id ?? null, status: e.status, error: e.errorObject() } };
      }
    });
    await applyRefresh([...touched], req.query.get('refresh'));
    return { status: 200, body: { errors, took: Date.now() - started, items: results } };
  };
  const params = ['refresh', 'timeout', 'wait_for_active_shards', 'require_alias', 'routing', 'pipeline', '_source', '_source_includes', '_source_excludes'];
  router.add(['POST', 'PUT'], '/_bulk', params, handler);
  router.add(['POST', 'PUT'], '/{index}/_bulk', params, handler);
}

function metaValue(meta: Record<string, unknown>, name: string): unknown {
  return meta[name];
}

function safeConcrete(ctx: ServerContext, name: string): string {
  try {
    return ctx.cluster.writeIndex(name)?.name ?? name;
  } catch {
    return name;
  }
}

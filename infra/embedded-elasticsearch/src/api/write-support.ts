import { randomBytes } from 'node:crypto';
import { EsError } from '../http/es-error';
import type { Cluster } from '../index/cluster';
import type { IndexStore, VersionType, WriteOp, WriteResult } from '../index/index-store';

/** The target index of a write: the index or alias's write index; a missing index is created (auto_create_index). */
export function writeTarget(cluster: Cluster, name: string): IndexStore {
  return cluster.writeIndex(name) ?? cluster.createIndex(name, {});
}

export function autoId(): string {
  return randomBytes(15).toString('base64url');
}

const VERSION_TYPES = new Set(['internal', 'external', 'external_gte']);

/**
 * Reads `version`, `version_type`, `if_seq_no`, `if_primary_term` from URL params (`queryParam`) or bulk metadata:
 * `get(from, name)`, a module-level function rather than a closure per document (under tsx each closure creation
 * costs an `__name` call).
 */
export function versionOptions<T>(from: T, get: (from: T, name: string) => unknown): Pick<WriteOp, 'version' | 'versionType' | 'ifSeqNo' | 'ifPrimaryTerm'> {
  const versionType = get(from, 'version_type');
  if (versionType !== undefined && !VERSION_TYPES.has(String(versionType))) {
    if (String(versionType) === 'force') throw EsError.unsupported('version_type [force]');
    throw EsError.badRequest(`No version type match [${String(versionType)}]`);
  }
  return {
    version: integerOption(from, get, 'version'),
    versionType: versionType as VersionType | undefined,
    ifSeqNo: integerOption(from, get, 'if_seq_no'),
    ifPrimaryTerm: integerOption(from, get, 'if_primary_term'),
  };
}

/** A URL parameter for `versionOptions`. */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

/** A module-level function rather than a closure: under tsx each closure creation costs an `__name` call (a defineProperty). */
function integerOption<T>(from: T, get: (from: T, name: string) => unknown, name: string): number | undefined {
  const v = get(from, name);
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw EsError.badRequest(`[${name}] must be an integer within ±2^53 here, found [${String(v)}]`);
  return n;
}

/** Applies the `refresh` parameter after a write: `true`/empty refreshes now, `wait_for` waits for the next refresh. */
export async function applyRefresh(stores: IndexStore[], refresh: string | null | undefined): Promise<{ forced_refresh?: boolean }> {
  if (refresh === null || refresh === undefined || refresh === 'false') return {};
  if (refresh === 'true' || refresh === '') {
    for (const s of stores) s.refresh();
    return { forced_refresh: true };
  }
  if (refresh === 'wait_for') {
    await Promise.all(stores.map((s) => s.waitForRefresh()));
    return {};
  }
  throw EsError.badRequest(`Unknown value for refresh: [${refresh}].`);
}

export function writeBody(result: WriteResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { status: _status, ...body } = result;
  void _status;
  return { ...body, ...extra };
}

/** Deep-merges a partial `doc` into a source (objects merge, everything else replaces), as the update API does. */
export function mergeDoc(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
      ? mergeDoc(cur as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** The update API on one document: `doc` merged into the current source, `doc_as_upsert` / `upsert` when missing. */
export function updateDoc(store: IndexStore, id: string, body: Record<string, unknown>, opts: Pick<WriteOp, 'ifSeqNo' | 'ifPrimaryTerm'>): WriteResult {
  for (const key of Object.keys(body)) {
    if (!['doc', 'doc_as_upsert', 'upsert', 'detect_noop', '_source'].includes(key)) {
      if (['script', 'scripted_upsert'].includes(key)) throw EsError.unsupported(`update with [${key}]`);
      throw EsError.parsing(`[UpdateRequest] unknown field [${key}]`);
    }
  }
  if (body._source !== undefined) throw EsError.unsupported('update with [_source]');
  const doc = body.doc as Record<string, unknown> | undefined;
  if (!doc || typeof doc !== 'object') throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
  const current = store.get(id);
  if (!current) {
    const upsert = body.doc_as_upsert === true ? doc : (body.upsert as Record<string, unknown> | undefined);
    if (!upsert) {
      throw new EsError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: store.uuid, shard: '0', index: store.name });
    }
    return store.write({ opType: 'create', id, source: upsert, ...opts });
  }
  const merged = mergeDoc(current.source, doc);
  if (body.detect_noop !== false && JSON.stringify(merged) === JSON.stringify(current.source)) {
    return {
      _index: store.name, _id: id, _version: current.version, result: 'noop' as WriteResult['result'],
      _shards: { total: 0, successful: 0, failed: 0 }, _seq_no: current.seqNo, _primary_term: current.primaryTerm, status: 200,
    };
  }
  return store.write({ opType: 'index', id, source: merged, ifSeqNo: opts.ifSeqNo ?? current.seqNo, ifPrimaryTerm: opts.ifPrimaryTerm ?? current.primaryTerm });
}

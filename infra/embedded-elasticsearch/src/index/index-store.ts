import { randomBytes } from 'node:crypto';
import type { Analyzer } from '../analysis/token';
import { buildAnalyzers } from '../analysis/analyzers';
import { EsError } from '../http/es-error';
import { parseIndexSettings, type IndexSettings } from './index-settings';
import { Mappings } from './mapping';
import type { PitSnapshot } from './point-in-time';
import { SearchableView, type AnalyzedDoc } from './searchable-view';

export type VersionType = 'internal' | 'external' | 'external_gte';

export interface WriteOp {
  opType: 'index' | 'create' | 'delete';
  id: string;
  source?: Record<string, unknown>;
  version?: number;
  versionType?: VersionType;
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
}

export interface WriteResult {
  _index: string;
  _id: string;
  _version: number;
  result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  _shards: { total: number; successful: number; failed: number };
  _seq_no: number;
  _primary_term: number;
  status: number;
}

/**
 * The shortest slice of a periodic refresh before it lets requests run. While requests keep coming, each slice lasts
 * as long as the requests ran since the one before: the refresh takes at least half of the thread and keeps up with
 * any write rate, and requests never wait longer than a slice.
 */
const REFRESH_SLICE_MS = 4;

interface RefreshBatch {
  /** The documents written since the refresh before, each once. */
  entries: DocEntry[];
  /** The generation of `entries` (see `DocEntry.queuedIn`). */
  generation: number;
  /** Index in `entries` of the next document to apply. */
  next: number;
  /** The `seqNo` each applied entry had when it was applied (a later write is applied again when the batch is published). */
  appliedSeqNo: number[];
  /** `refresh=wait_for` writers whose writes this refresh makes visible. */
  waiters: Array<() => void>;
}

/** The realtime state of one document id: the current version, or a delete tombstone (source null). */
interface DocEntry {
  /** The document id (the same string as the key in the document map). */
  id: string;
  version: number;
  seqNo: number;
  primaryTerm: number;
  source: Record<string, unknown> | null;
  deletedAt: number;
  /** Where the refreshed version of the document is in the searchable view; -1 when none. */
  docNum: number;
  /**
   * The refresh generation whose batch holds this entry (it is written since that batch's start): `pending`'s
   * generation while waiting for the next refresh, the in-flight batch's while that refresh runs, older when none.
   */
  queuedIn: number;
}

export function newUuid(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/**
 * One index (one shard): the realtime document map with versions and tombstones, the writes not yet refreshed,
 * and the searchable view that only a refresh updates (near-real-time search).
 */
export class IndexStore {
  readonly uuid = newUuid();
  readonly creationDate = Date.now();
  settings: IndexSettings;
  readonly analyzers: Map<string, Analyzer>;
  readonly mappings: Mappings;
  readonly view: SearchableView;
  private readonly live = new Map<string, DocEntry>();
  /**
   * The documents written since the last refresh, each once (its entry's `queuedIn` is `generation`). Their field
   * values are extracted again at refresh, so nothing per write is kept alive until then (short-lived garbage is
   * cheap for V8; garbage that lives a second is not). Entries rather than ids: no lookups in the document map
   * (a million ids at 1M documents) to queue, refresh or check them.
   */
  private pending: DocEntry[] = [];
  /** The generation of `pending`; each refresh takes `pending` as its batch and starts the next generation. */
  private generation = 1;
  /** The writes a periodic refresh under way is applying (taken from `pending` when it started). */
  private inflight: RefreshBatch | undefined;
  /** While a periodic refresh applies its writes to `view` in slices: `view` as of the refresh before, which search reads. */
  private published: PitSnapshot | undefined;
  /**
   * Ids whose latest write is a delete: the entries `pruneTombstones` may forget. Pruning (at every periodic refresh)
   * reads these rather than every document (at 1M documents a walk of the whole map took ~28 ms each second, a stall
   * of every request behind it).
   */
  private readonly tombstones = new Set<string>();
  private seqNo = -1;
  private readonly primaryTerm = 1;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshWaiters: Array<() => void> = [];
  private liveCount = 0;

  constructor(readonly name: string, body: { settings?: Record<string, unknown>; mappings?: Record<string, unknown> }) {
    this.settings = parseIndexSettings(body.settings);
    this.analyzers = buildAnalyzers(this.settings.analysis);
    this.mappings = new Mappings(body.mappings, new Set(this.analyzers.keys()));
    this.view = new SearchableView(this.mappings, this.analyzers, (id) => this.live.get(id));
    this.startRefreshTimer();
  }

  get shards() {
    return { total: 1 + Number(this.settings.flat['index.number_of_replicas'] ?? 1), successful: 1, failed: 0 };
  }

  /** Documents visible to a realtime get (not deleted), whether refreshed or not. */
  get docCount(): number {
    return this.liveCount;
  }

  get maxSeqNo(): number {
    return this.seqNo;
  }

  write(op: WriteOp): WriteResult {
    const versionType = op.versionType ?? 'internal';
    validateOp(op, versionType);
    // A tombstone older than `index.gc_deletes` is forgotten: no version to check against.
    const stored = this.live.get(op.id);
    const current = stored !== undefined && this.expired(stored) ? undefined : stored;
    const exists = current !== undefined && current.source !== null;
    if (op.ifSeqNo !== undefined) {
      if (!exists) {
        throw this.conflict(op.id, `required seqNo [${op.ifSeqNo}], primary term [${op.ifPrimaryTerm}]. but no document was found`);
      }
      if (current.seqNo !== op.ifSeqNo || current.primaryTerm !== op.ifPrimaryTerm) {
        throw this.conflict(op.id, `required seqNo [${op.ifSeqNo}], primary term [${op.ifPrimaryTerm}]. current document has seqNo [${current.seqNo}] and primary term [${current.primaryTerm}]`);
      }
    }
    if (op.opType === 'create' && exists) {
      throw this.conflict(op.id, `document already exists (current version [${current.version}])`);
    }
    let version: number;
    if (versionType === 'internal') {
      version = current ? current.version + 1 : 1;
    } else {
      const given = op.version as number;
      if (current && versionType === 'external' && current.version >= given) {
        throw this.conflict(op.id, `current version [${current.version}] is higher or equal to the one provided [${given}]`);
      }
      if (current && versionType === 'external_gte' && current.version > given) {
        throw this.conflict(op.id, `current version [${current.version}] is higher than the one provided [${given}]`);
      }
      version = given;
    }
    // Validates against the mapping (and adds dynamic fields) before anything changes.
    if (op.opType !== 'delete') this.mappings.validate(op.source as Record<string, unknown>, op.id);
    this.seqNo++;
    // The entry object is kept across writes (an expired tombstone's too): it carries the document's place in the
    // searchable view. Our documents repeat their _id in an `id` field: keying by that string keeps one copy of it.
    const key = op.source && op.source.id === op.id ? (op.source.id as string) : op.id;
    let entry = stored;
    if (!entry) {
      entry = { id: key, version: 0, seqNo: 0, primaryTerm: 0, source: null, deletedAt: 0, docNum: -1, queuedIn: 0 };
      this.live.set(key, entry);
    }
    entry.version = version;
    entry.seqNo = this.seqNo;
    entry.primaryTerm = this.primaryTerm;
    entry.source = op.opType === 'delete' ? null : (op.source as Record<string, unknown>);
    entry.deletedAt = op.opType === 'delete' ? Date.now() : 0;
    if (entry.queuedIn !== this.generation) {
      entry.queuedIn = this.generation;
      this.pending.push(entry);
    }
    if (op.opType === 'delete') this.tombstones.add(key);
    else if (this.tombstones.size > 0) this.tombstones.delete(key);
    if (exists && op.opType === 'delete') this.liveCount--;
    if (!exists && op.opType !== 'delete') this.liveCount++;
    const result = op.opType === 'delete' ? (exists ? 'deleted' : 'not_found') : exists ? 'updated' : 'created';
    return {
      _index: this.name,
      _id: op.id,
      _version: version,
      result,
      _shards: this.shards,
      _seq_no: entry.seqNo,
      _primary_term: entry.primaryTerm,
      status: result === 'created' ? 201 : result === 'not_found' ? 404 : 200,
    };
  }

  /** Realtime get: the latest write, refreshed or not. */
  get(id: string): { version: number; seqNo: number; primaryTerm: number; source: Record<string, unknown> } | undefined {
    const entry = this.current(id);
    if (!entry || entry.source === null) return undefined;
    return { version: entry.version, seqNo: entry.seqNo, primaryTerm: entry.primaryTerm, source: entry.source };
  }

  /**
   * Makes every write so far visible to search, forgets expired tombstones and wakes `refresh=wait_for` writers
   * (explicit refresh: synchronous, and it completes a periodic refresh under way).
   */
  refresh(): void {
    if (this.inflight) this.finish(this.inflight, Infinity);
    if (this.pending.length > 0) this.finish(this.startRefresh(), Infinity);
    else this.wake(this.takeWaiters());
    this.pruneTombstones();
  }

  /**
   * The view search reads: the documents as of the last completed refresh. While a periodic refresh is under way it
   * is a point in time of the view taken at its start, valid until the next write or search (its live flags are the
   * search's scratch memory, taken after `arena.reset()`).
   */
  searchView(): SearchableView {
    return this.published ? this.published.searchView() : this.view;
  }

  /** Searchable and deleted documents as of the last completed refresh (index stats, `_cat/indices`). */
  get searchableDocs(): { count: number; deleted: number } {
    const p = this.published;
    return p ? { count: p.maxDoc - p.deleted, deleted: p.deleted } : { count: this.view.numDocs, deleted: this.view.deleted };
  }

  /** Opens a point in time on what search sees now; a periodic refresh under way is completed first. */
  pin(): PitSnapshot {
    if (this.inflight) this.finish(this.inflight, Infinity);
    return this.view.pin();
  }

  /**
   * The periodic refresh. Analysing and indexing the text of a second's writes takes tens to hundreds of
   * milliseconds, which on this single thread would stall every search and bulk request behind it (Elasticsearch
   * refreshes on a thread of its own, and indexing goes on meanwhile). The writes taken at the start are applied to
   * the view in slices, yielding to requests in between, while search reads a point in time of the view as of the
   * refresh before; publishing them is releasing that point in time, so a search sees all of them or none, as with
   * a new Lucene reader. Writes arriving meanwhile wait for the next refresh.
   */
  private async periodicRefresh(): Promise<void> {
    if (this.inflight) return;
    if (this.pending.length === 0) {
      this.wake(this.takeWaiters());
      this.pruneTombstones();
      return;
    }
    const batch = this.startRefresh();
    this.published = this.view.pin();
    let sliceMs = REFRESH_SLICE_MS;
    while (!this.finish(batch, sliceMs)) {
      const paused = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inflight !== batch) return; // completed by an explicit refresh (or the index closed)
      sliceMs = Math.max(REFRESH_SLICE_MS, performance.now() - paused);
    }
    this.pruneTombstones();
  }

  private startRefresh(): RefreshBatch {
    const batch: RefreshBatch = { entries: this.pending, generation: this.generation, next: 0, appliedSeqNo: [], waiters: this.takeWaiters() };
    this.pending = [];
    this.generation++;
    this.inflight = batch;
    return batch;
  }

  /**
   * Applies the batch's documents to the view for up to `budgetMs`; once all are applied, publishes them and returns
   * true. A document written again since its slice applied it is applied again then (its newer write is also
   * pending, for the next refresh), so the refresh shows the latest write of each of its documents.
   */
  private finish(batch: RefreshBatch, budgetMs: number): boolean {
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    const { entries, appliedSeqNo } = batch;
    while (batch.next < entries.length) {
      const entry = entries[batch.next++] as DocEntry;
      appliedSeqNo.push(entry.seqNo);
      // An entry the document map no longer holds (a tombstone forgotten meanwhile, not searchable) changes nothing here.
      this.view.apply(entry.id, entry, this.analyze(entry), entry.source);
      if ((batch.next & 15) === 0 && performance.now() >= deadline) return false;
    }
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as DocEntry;
      if (entry.seqNo !== appliedSeqNo[i]) this.view.apply(entry.id, entry, this.analyze(entry), entry.source);
    }
    this.inflight = undefined;
    this.publish();
    this.view.maybeCompact();
    this.wake(batch.waiters);
    return true;
  }

  private publish(): void {
    const published = this.published;
    this.published = undefined;
    published?.release();
  }

  private analyze(entry: DocEntry): AnalyzedDoc | null {
    return entry.source && this.view.analyze(this.mappings.parse(entry.source, entry.id));
  }

  private takeWaiters(): Array<() => void> {
    const waiters = this.refreshWaiters;
    this.refreshWaiters = [];
    return waiters;
  }

  private wake(waiters: Array<() => void>): void {
    for (const w of waiters) w();
  }

  /** Resolves once every write made so far is visible (at the next refresh, periodic or explicit), as `refresh=wait_for` does. */
  waitForRefresh(): Promise<void> {
    if (this.pending.length === 0 && !this.inflight) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.pending.length === 0) (this.inflight as RefreshBatch).waiters.push(resolve);
      else this.refreshWaiters.push(resolve);
      if (this.refreshWaiters.length > 1000) this.refresh();
    });
  }

  /** Dynamic settings update (`PUT /{index}/_settings`): refresh_interval, gc_deletes, replicas, max_result_window. */
  updateSettings(flat: Record<string, unknown>): void {
    const merged = { ...this.settings.flat, ...flat };
    const { 'index.analysis': analysis, ...rest } = merged;
    const nested: Record<string, unknown> = { ...rest };
    if (analysis !== undefined) nested['index.analysis'] = analysis;
    this.settings = parseIndexSettings(nested);
    this.stopRefreshTimer();
    this.startRefreshTimer();
  }

  close(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.inflight) this.wake(this.inflight.waiters);
    this.inflight = undefined;
    this.publish();
    this.wake(this.takeWaiters());
  }

  startRefreshTimer(): void {
    if (this.refreshTimer || this.settings.refreshIntervalMs <= 0) return;
    this.refreshTimer = setInterval(() => void this.periodicRefresh(), this.settings.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  stopRefreshTimer(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** The entry for an id, treating a tombstone older than `index.gc_deletes` as forgotten. */
  private current(id: string): DocEntry | undefined {
    const entry = this.live.get(id);
    if (entry && this.expired(entry)) {
      // Forgotten; the object itself stays while the searchable view or a pending refresh still refers to it.
      if (entry.docNum < 0 && !this.queued(entry)) {
        this.live.delete(id);
        this.tombstones.delete(id);
      }
      return undefined;
    }
    return entry;
  }

  private expired(entry: DocEntry): boolean {
    return entry.source === null && Date.now() - entry.deletedAt > this.settings.gcDeletesMs;
  }

  /** Whether a refresh still has to apply the entry: pending, or in the batch of a refresh under way. */
  private queued(entry: DocEntry): boolean {
    return entry.queuedIn === this.generation || (this.inflight !== undefined && entry.queuedIn === this.inflight.generation);
  }

  private pruneTombstones(): void {
    const horizon = Date.now() - this.settings.gcDeletesMs;
    for (const id of this.tombstones) {
      const entry = this.live.get(id);
      if (!entry || entry.source !== null) this.tombstones.delete(id);
      else if (entry.docNum < 0 && entry.deletedAt < horizon) {
        this.live.delete(id);
        this.tombstones.delete(id);
      }
    }
  }

  private conflict(id: string, detail: string): EsError {
    return EsError.versionConflict(`[${id}]: version conflict, ${detail}`, this.name, this.uuid);
  }
}

function validateOp(op: WriteOp, versionType: VersionType): void {
  const errors: string[] = [];
  if (op.opType === 'create' && versionType !== 'internal') errors.push('create operations only support internal versioning. use index instead');
  if (versionType === 'internal' && op.version !== undefined) {
    errors.push('internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead');
  }
  if (versionType !== 'internal' && (op.version === undefined || !Number.isSafeInteger(op.version) || op.version < 0)) {
    errors.push(`illegal version value [${op.version ?? ''}] for version type [${versionType.toUpperCase()}]`);
  }
  if (versionType !== 'internal' && op.ifSeqNo !== undefined) errors.push('compare and write operations can not use versioning');
  if ((op.ifSeqNo === undefined) !== (op.ifPrimaryTerm === undefined)) {
    errors.push(op.ifSeqNo === undefined ? 'ifSeqNo is unassigned, but primary term is [' + op.ifPrimaryTerm + ']' : 'ifSeqNo is set, but primary term is [0]');
  }
  if (errors.length > 0) {
    throw new EsError(400, 'action_request_validation_exception', `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`);
  }
}

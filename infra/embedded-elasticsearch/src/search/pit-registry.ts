import { randomBytes } from 'node:crypto';
import { EsError } from '../http/es-error';
import type { IndexStore } from '../index/index-store';
import { parseTimeValue } from '../index/index-settings';
import type { PitSnapshot } from '../index/point-in-time';

/** One open point in time: the indices it covers and their frozen views. */
export interface PointInTime {
  id: string;
  stores: IndexStore[];
  views: PitSnapshot[];
  expiresAt: number;
}

/** Elasticsearch's default `search.max_keep_alive`. */
const MAX_KEEP_ALIVE_MS = 24 * 3_600_000;

/** `keep_alive` as a duration in ms (required, positive, at most a day). */
export function parseKeepAlive(value: unknown): number {
  if (value === undefined || value === null || value === '') {
    throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
  }
  const ms = parseTimeValue(value, 'keep_alive');
  if (!(ms > 0)) throw EsError.badRequest(`failed to parse [keep_alive] with value [${String(value)}]: must be positive`);
  if (ms > MAX_KEEP_ALIVE_MS) {
    throw EsError.badRequest(`Keep alive for request (${String(value)}) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.`);
  }
  return ms;
}

/**
 * Open points in time. Each pins its indices' searchable views (no compaction, deleted documents keep their
 * sources) until it is closed or its keep_alive passes without use; expired ones are released by a sweep.
 */
export class PitRegistry {
  private readonly pits = new Map<string, PointInTime>();
  private sweeper: NodeJS.Timeout | undefined;

  open(stores: IndexStore[], keepAliveMs: number): PointInTime {
    const pit: PointInTime = {
      id: randomBytes(48).toString('base64url'),
      stores,
      views: stores.map((s) => s.pin()),
      expiresAt: Date.now() + keepAliveMs,
    };
    this.pits.set(pit.id, pit);
    this.sweeper ??= setInterval(() => this.sweep(), 1000).unref();
    return pit;
  }

  /** The point in time for a search, its keep_alive extended when one is given; 404 when unknown or expired. */
  use(id: unknown, keepAliveMs: number | undefined): PointInTime {
    this.sweep();
    const pit = typeof id === 'string' ? this.pits.get(id) : undefined;
    if (!pit) throw new EsError(404, 'search_context_missing_exception', `No search context found for id [${String(id)}]`);
    if (keepAliveMs !== undefined) pit.expiresAt = Date.now() + keepAliveMs;
    return pit;
  }

  /** Closes one; false when it is unknown (or already expired). */
  close(id: unknown): boolean {
    const pit = typeof id === 'string' ? this.pits.get(id) : undefined;
    if (!pit) return false;
    this.release(pit);
    return true;
  }

  closeAll(): number {
    const n = this.pits.size;
    for (const pit of [...this.pits.values()]) this.release(pit);
    return n;
  }

  private sweep(): void {
    const now = Date.now();
    for (const pit of [...this.pits.values()]) if (pit.expiresAt <= now) this.release(pit);
  }

  private release(pit: PointInTime): void {
    this.pits.delete(pit.id);
    for (const view of pit.views) view.release();
    if (this.pits.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

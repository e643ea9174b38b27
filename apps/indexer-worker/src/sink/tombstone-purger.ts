import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '@nova/logger';
import type { IndexerMetrics } from '../metrics/indexer-metrics';

export interface TombstonePurgerOptions {
  indices: string[];
  horizonMs: number;
  intervalMs: number;
}

/**
 * The query that selects purgeable tombstones: `deleted: true` and written before now minus the horizon.
 * Live documents (`deleted: false`) never match, whatever their age.
 */
export function purgeQuery(horizonMs: number, now: Date = new Date()) {
  return {
    bool: {
      filter: [{ term: { deleted: true } }, { range: { deleted_at: { lt: new Date(now.getTime() - horizonMs).toISOString() } } }],
    },
  };
}

/**
 * Periodically removes tombstones older than the horizon with `_delete_by_query` (`conflicts: proceed`): a document
 * rewritten between the query's snapshot and its delete (a newer upsert) is skipped by Elasticsearch's own version
 * check rather than deleted. After the purge a write older than the horizon could bring a document back; the horizon
 * (default 24 h) is chosen far beyond any redelivery delay.
 */
export class TombstonePurger {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly options: TombstonePurgerOptions,
    private readonly logger: Logger,
    private readonly metrics: IndexerMetrics,
  ) {}

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.purgeOnce().then(() => undefined, () => undefined).finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async purgeOnce(now: Date = new Date()): Promise<number> {
    let deleted = 0;
    for (const index of this.options.indices) {
      try {
        const res = await this.client.deleteByQuery({ index, conflicts: 'proceed', refresh: true, query: purgeQuery(this.options.horizonMs, now) as never });
        deleted += res.deleted ?? 0;
      } catch (err) {
        this.logger.warn('Tombstone purge failed; will try again', { index, err });
      }
    }
    if (deleted > 0) this.logger.info('Purged tombstones', { deleted, horizonMs: this.options.horizonMs });
    this.metrics.purged.inc(deleted);
    return deleted;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

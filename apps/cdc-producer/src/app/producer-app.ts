import type { Kafka } from 'kafkajs';
import type { ProducerConfig } from '@nova/config';
import type { Logger } from '@nova/logger';
import type { Sql } from '@nova/postgres';
import { ProducerError, errorMessage, isFatalPostgresError } from '../errors';
import { backoffMs, sleep } from '../pipeline/backoff';
import { CdcPipeline, type PipelineState } from '../pipeline/cdc-pipeline';
import { LeaderLock } from '../postgres/leader-lock';
import type { ProducerMetrics } from './producer-metrics';

export type ProducerState = 'standby' | PipelineState | 'stopped';

export interface ProducerAppDeps {
  config: ProducerConfig;
  sql: Sql;
  kafka: Kafka;
  logger: Logger;
  metrics: ProducerMetrics;
}

/**
 * The producer's life: wait as a hot standby until this instance holds the slot's advisory lock, then run the
 * pipeline until stopped. Transient errors (PostgreSQL or Kafka unreachable) are logged and retried with backoff;
 * losing the lock ends the term and goes back to standby; a fatal error rejects `run()`.
 */
export class ProducerApp {
  private state: ProducerState = 'standby';
  private readonly stopController = new AbortController();
  private readonly log: Logger;

  constructor(private readonly deps: ProducerAppDeps) {
    this.log = deps.logger.child({ component: 'producer' });
  }

  currentState(): ProducerState {
    return this.state;
  }

  async run(): Promise<void> {
    const { config, metrics } = this.deps;
    const stop = this.stopController.signal;
    const lock = new LeaderLock(config.databaseUrl, config.cdc.slotName, this.deps.logger);
    try {
      while (!stop.aborted) {
        this.setState('standby');
        const term = new AbortController();
        lock.onLost((err) => {
          metrics.errors.inc({ kind: 'leadership' });
          this.log.error('Lost the slot lock; stopping this term', { err: err.message });
          term.abort();
        });
        if (!(await lock.acquire(config.cdc.standbyPollMs, stop))) break;
        metrics.leader.set(1);
        this.log.info('Holding the slot lock; this instance is active', { slot: config.cdc.slotName });
        const onStop = () => term.abort();
        stop.addEventListener('abort', onStop, { once: true });
        if (stop.aborted) term.abort();
        try {
          await this.runTerm(term.signal);
        } finally {
          stop.removeEventListener('abort', onStop);
          metrics.leader.set(0);
          await lock.release();
        }
      }
    } finally {
      this.setState('stopped');
      await lock.release();
    }
  }

  /** Stops reading, lets Kafka acknowledge what was read, acknowledges it to PostgreSQL; resolves when done. */
  stop(): void {
    this.stopController.abort();
  }

  private async runTerm(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      const pipeline = new CdcPipeline({ ...this.deps, onState: (s) => this.setState(s) });
      try {
        await pipeline.run(signal);
        return;
      } catch (err) {
        const fatal = (err instanceof ProducerError && !err.retryable) || (!(err instanceof ProducerError) && isFatalPostgresError(err));
        if (fatal) throw err;
        this.deps.metrics.errors.inc({ kind: 'postgres' });
        this.setState('reconnecting');
        this.log.warn('Pipeline failed; retrying', { err: errorMessage(err), attempt });
        await sleep(backoffMs(attempt, 200, 10_000), signal);
      }
    }
  }

  private setState(state: ProducerState): void {
    if (state === this.state) return;
    this.state = state;
    this.log.info('State', { state });
  }
}

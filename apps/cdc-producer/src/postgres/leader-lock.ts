import { Client } from 'pg';
import type { Logger } from '@nova/logger';
import { ProducerError, errorMessage } from '../errors';
import { backoffMs, sleep } from '../pipeline/backoff';

// Two-key advisory locks live in their own key space: (NOVA, hashtext(slot)).
const LOCK_CLASS = 0x4e4f5641;

/**
 * Hot standby: the instance that holds a session-level PostgreSQL advisory lock (keyed by the slot name) is the only
 * one that streams. The lock lives on a dedicated connection; when that connection dies (process killed, network
 * cut) PostgreSQL releases the lock and a waiting instance takes it at its next poll. Losing the connection while
 * leading is reported through `lost`, so the pipeline stops before another instance can start.
 */
export class LeaderLock {
  private client: Client | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private lostHandler: (err: Error) => void = () => undefined;
  private readonly log: Logger;

  constructor(
    private readonly databaseUrl: string,
    private readonly slotName: string,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'leader-lock' });
  }

  /** Waits until this instance holds the lock (true), or `signal` aborts (false). Connection errors are retried. */
  async acquire(pollMs: number, signal: AbortSignal): Promise<boolean> {
    let loggedWaiting = false;
    for (let attempt = 0; !signal.aborted; ) {
      try {
        if (!this.client) {
          const client = new Client({ connectionString: this.databaseUrl, application_name: 'nova-cdc-producer-lock', keepAlive: true });
          client.on('error', (err) => this.onConnectionLost(client, err));
          client.on('end', () => this.onConnectionLost(client, new Error('lock connection closed')));
          await client.connect();
          this.client = client;
        }
        const res = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_CLASS, this.slotName]);
        attempt = 0;
        if (res.rows[0]?.ok) {
          this.healthTimer = setInterval(() => void this.checkHealth(), 2_000);
          return true;
        }
        if (!loggedWaiting) this.log.info('Another instance holds the slot; waiting as standby', { slot: this.slotName });
        loggedWaiting = true;
        await sleep(pollMs, signal);
      } catch (err) {
        this.log.warn('Leader lock check failed; retrying', { err: errorMessage(err), attempt });
        await this.closeClient();
        await sleep(backoffMs(attempt++), signal);
      }
    }
    return false;
  }

  /** Called (once) if the lock is lost while held. */
  onLost(handler: (err: Error) => void): void {
    this.lostHandler = handler;
  }

  async release(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    await this.closeClient(); // ending the session releases the lock
  }

  private async checkHealth(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.query('select 1');
    } catch (err) {
      this.onConnectionLost(client, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private onConnectionLost(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.healthTimer) {
      clearInterval(this.healthTimer);
      this.healthTimer = undefined;
      const handler = this.lostHandler;
      this.lostHandler = () => undefined;
      handler(new ProducerError(`lost the leader lock connection: ${err.message}`, 'LEADERSHIP_LOST', true, { cause: err }));
    }
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}

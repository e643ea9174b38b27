import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { CdcTable } from '@nova/config';
import { parseLsn } from '@nova/events';
import type { Logger } from '@nova/logger';
import type { ChangePosition, RowOperation } from '../events/change-mapper';
import { microsToIso, type PgTextRow } from '../events/pg-text';
import { ProducerError, errorMessage } from '../errors';
import { TEXT_SESSION_OPTIONS, isCdcTable } from './cdc-tables';
import { acknowledgeExact } from './exact-acknowledge';

/** What the source hands downstream, in WAL (commit) order. */
export interface SourceHandler {
  /** A row change. May return a promise to apply back-pressure: reading pauses until it settles. */
  onChange(table: CdcTable, operation: RowOperation, row: PgTextRow, position: ChangePosition): void | Promise<void>;
  /** A position that may be acknowledged once everything handed over before it is in Kafka. */
  onPosition(lsn: bigint, commitTimeMs: number | null): void;
  /** Replication started streaming. */
  onStreaming(): void;
}

export interface PgoutputSourceOptions {
  databaseUrl: string;
  slotName: string;
  publicationName: string;
  tables: readonly CdcTable[];
  logger: Logger;
  statusIntervalMs: number;
  /** The position that is safe to acknowledge right now (everything before it is in Kafka). */
  durableLsn(): bigint;
}

/** Keeps column values as PostgreSQL's text (no lossy JS Date parsing), like the snapshot's `::text` reads. */
export class TextPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const msg = super.parse(buffer) as Pgoutput.Message;
    if (msg.tag === 'relation') for (const c of msg.columns) c.parser = (raw: unknown) => raw;
    return msg;
  }
}

interface OpenTransaction {
  xid: number;
  commitLsn: bigint;
  commitTimeMs: number;
  commitTs: string;
}

/**
 * The WAL side: pgoutput over a permanent slot through pg-logical-replication, configured to never acknowledge on
 * its own. Trap (2.5): with `acknowledge.auto: false` it still acknowledges the last *received* position on a timer
 * unless `timeoutSeconds` is 0; that position may not be in Kafka yet. We set 0 and send status updates ourselves
 * (exact position, see exact-acknowledge.ts) from `durableLsn()` on our own timer and on keepalive requests.
 * Back-pressure is ours, not the library's flow control (which awaits two promises per message: 12 % of the main
 * thread's allocation in a catch-up): messages are handled synchronously as they are decoded; when the handler returns a
 * promise, the socket is paused and the rest of the chunk already read waits in `backlog`, in order, until it settles.
 * A new service per run, and START_REPLICATION at 0/0, so PostgreSQL resumes from the slot's confirmed position, not
 * from whatever this process last received.
 */
export class PgoutputSource {
  private service: LogicalReplicationService | undefined;
  private failure: unknown;
  private draining = false;
  private releaseGate: () => void = () => undefined;
  private gate: Promise<void> = Promise.resolve();
  private tx: OpenTransaction | undefined;
  /** Messages decoded while the handler holds the stream back, oldest first (`waiting` is then true); the next is at `backlogNext`. */
  private backlog: Array<{ lsn: string; msg: Pgoutput.Message }> = [];
  private backlogNext = 0;
  private waiting = false;
  private lastSent = -1n;
  private lastSentAt = 0;
  private readonly log: Logger;

  constructor(private readonly options: PgoutputSourceOptions) {
    this.log = options.logger.child({ component: 'pgoutput-source' });
  }

  /** Streams until `stop()` (resolves) or a failure (rejects). */
  async run(handler: SourceHandler): Promise<void> {
    const service = new LogicalReplicationService(
      { connectionString: this.options.databaseUrl, options: TEXT_SESSION_OPTIONS, application_name: 'nova-cdc-producer' },
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: false } },
    );
    this.service = service;
    this.failure = undefined;
    this.draining = false;
    this.tx = undefined;
    this.backlog = [];
    this.backlogNext = 0;
    this.waiting = false;
    this.gate = new Promise<void>((resolve) => (this.releaseGate = resolve));
    service.on('error', (err: Error) => void this.fail(err));
    service.on('start', () => {
      this.log.info('Replication streaming', { slot: this.options.slotName });
      void this.sendStatus(true);
      handler.onStreaming();
    });
    service.on('heartbeat', (_lsn: string, _ts: number, shouldRespond: boolean) => {
      if (shouldRespond) void this.sendStatus(true);
    });
    service.on('data', (lsn: string, msg: Pgoutput.Message) => {
      if (this.waiting) this.backlog.push({ lsn, msg });
      else this.hold(handler, this.onData(handler, lsn, msg));
    });
    const timer = setInterval(() => void this.sendStatus(false), this.options.statusIntervalMs);
    const plugin = new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [this.options.publicationName], messages: true });
    try {
      await service.subscribe(plugin, this.options.slotName, '0/0');
    } catch (err) {
      this.failure ??= err;
    } finally {
      clearInterval(timer);
      this.releaseGate();
      await service.destroy().catch(() => undefined);
      this.service = undefined;
    }
    if (this.failure) throw this.failure;
    if (!this.draining) throw new ProducerError('replication stream ended by the server', 'POSTGRES_FATAL', true);
  }

  /** Stops handing messages downstream (they will be read again after a restart; nothing after them is acknowledged). */
  pause(): void {
    this.draining = true;
  }

  /** Reports the durable position now (used before stopping). */
  async acknowledgeDurable(): Promise<void> {
    await this.sendStatus(true);
  }

  async stop(): Promise<void> {
    this.draining = true;
    this.releaseGate();
    await this.service?.stop().catch(() => undefined);
  }

  private async fail(err: unknown): Promise<void> {
    if (this.failure || this.draining) return;
    this.failure = err;
    this.draining = true; // nothing after a failed message may reach the checkpointer
    this.log.warn('Replication stream failed', { err: errorMessage(err) });
    await this.service?.stop().catch(() => undefined);
  }

  private async sendStatus(force: boolean): Promise<void> {
    const service = this.service;
    if (!service || service.isStop()) return;
    const lsn = this.options.durableLsn();
    // Keep the server's wal_sender_timeout happy even when the position does not move.
    if (!force && lsn === this.lastSent && Date.now() - this.lastSentAt < 10_000) return;
    try {
      if (await acknowledgeExact(service, lsn)) {
        this.lastSent = lsn;
        this.lastSentAt = Date.now();
      }
    } catch (err) {
      this.log.warn('Could not send standby status', { err: errorMessage(err) });
    }
  }

  /** Pauses the socket until `wait` settles, then hands over the backlog (which may hold the stream back again). */
  private hold(handler: SourceHandler, wait: void | Promise<void>): void {
    if (!wait) return;
    this.waiting = true;
    const service = this.service;
    const socket = this.socket(service);
    if (!socket) {
      // Reading on unpaused would buffer the whole WAL backlog in memory: stop instead, saying why.
      void this.fail(new ProducerError('pg-logical-replication no longer exposes its replication socket (_connection.stream); back-pressure is impossible', 'POSTGRES_FATAL', false));
      return;
    }
    socket.pause();
    // `wait` never rejects: onRow turns a failed handler into `fail` and the gate.
    void wait.then(() => {
      if (this.service !== service) return; // a later run has its own backlog
      while (this.backlogNext < this.backlog.length) {
        const { lsn, msg } = this.backlog[this.backlogNext++]!;
        const again = this.onData(handler, lsn, msg);
        if (again) return this.hold(handler, again);
      }
      this.backlog = [];
      this.backlogNext = 0;
      this.waiting = false;
      socket.resume();
    });
  }

  /** The replication connection's socket (the library keeps it private; its own flow control pauses it the same way). */
  private socket(service: LogicalReplicationService | undefined): { pause(): void; resume(): void } | undefined {
    return (service as unknown as { _connection?: { stream?: { pause(): void; resume(): void } } } | undefined)?._connection?.stream;
  }

  private onData(handler: SourceHandler, lsn: string, msg: Pgoutput.Message): void | Promise<void> {
    if (this.draining) return this.gate;
    try {
      switch (msg.tag) {
        case 'begin':
          this.tx = {
            xid: msg.xid,
            commitLsn: parseLsn(msg.commitLsn!),
            commitTimeMs: Number(BigInt(msg.commitTime.toString()) / 1000n),
            commitTs: microsToIso(BigInt(msg.commitTime.toString())),
          };
          return;
        case 'insert':
        case 'update':
        case 'delete':
          return this.onRow(handler, lsn, msg);
        case 'commit':
          if (this.tx) handler.onPosition(parseLsn(msg.commitEndLsn!), this.tx.commitTimeMs);
          this.tx = undefined;
          return;
        case 'message':
          // Our heartbeat (or anyone's non-transactional message): its position is safe once everything before it is.
          if (!msg.transactional) handler.onPosition(parseLsn(lsn), null);
          return;
        case 'relation':
          if (isCdcTable(msg.name, this.options.tables) && msg.replicaIdentity !== 'full') {
            throw new ProducerError(
              `table ${msg.schema}.${msg.name} lost REPLICA IDENTITY FULL; run: ALTER TABLE ${msg.schema}.${msg.name} REPLICA IDENTITY FULL;`,
              'REPLICA_IDENTITY_NOT_FULL',
              false,
            );
          }
          return;
        case 'truncate':
          this.log.error('TRUNCATE replicated: its rows are not turned into delete events; re-snapshot the table', {
            tables: msg.relations.map((r) => r.name),
          });
          return;
        default:
          return;
      }
    } catch (err) {
      void this.fail(err);
      return this.gate;
    }
  }

  private onRow(handler: SourceHandler, lsn: string, msg: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete) {
    const table = msg.relation.name;
    if (!isCdcTable(table, this.options.tables)) return;
    const tx = this.tx;
    if (!tx) throw new ProducerError(`row change outside a transaction at ${lsn}`, 'DECODE_FAILED', true);
    const row = (msg.tag === 'delete' ? msg.old : msg.new) as PgTextRow | null;
    if (!row) throw new ProducerError(`delete on ${table} without the old row (REPLICA IDENTITY FULL missing)`, 'REPLICA_IDENTITY_NOT_FULL', false);
    const position: ChangePosition = { lsn: parseLsn(lsn), commitLsn: tx.commitLsn, txId: tx.xid, commitTs: tx.commitTs, snapshot: false };
    const result = handler.onChange(table, msg.tag, row, position);
    if (result) return result.catch((err: unknown) => this.fail(err).then(() => this.gate));
    return undefined;
  }
}

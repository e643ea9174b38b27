import type { Socket } from 'node:net';
import { Reader } from '../codec/reader';
import { Writer } from '../codec/writer';
import { ErrorCode, ProtocolError } from '../errors';
import type { BrokerState } from '../broker-state';
import type { RequestContext } from '../protocol/api';
import { ApiKey } from '../protocol/api-keys';
import { APIS, apiName } from '../protocol/registry';
import type { FaultHooks } from './fault-hooks';
import { FrameSplitter } from './frame-splitter';

/** socket.request.max.bytes (Kafka's default, 100 MiB). */
const MAX_REQUEST_BYTES = 104_857_600;

export interface ConnectionHooks {
  faults: FaultHooks;
  /** Called for every request that is dispatched (API key, version): the negotiated-version record. */
  onRequest(apiKey: number, version: number): void;
}

/**
 * One client connection: splits the byte stream into size-prefixed frames and handles them one at a time, in
 * arrival order, as a Kafka broker does (it reads the next request of a connection only after answering the
 * previous one), so responses always go out in request order.
 */
export class Connection {
  private readonly frames = new FrameSplitter(MAX_REQUEST_BYTES);
  private readonly queue: Buffer[] = [];
  private busy = false;
  private readonly host: string;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly broker: BrokerState,
    private readonly hooks: ConnectionHooks,
  ) {
    this.host = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // resets by clients are normal; 'close' follows
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const error = this.frames.push(chunk, (frame) => {
      this.queue.push(frame);
      void this.pump();
    });
    if (error !== null) this.fail(error);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let frame = this.queue.shift(); frame && !this.socket.destroyed; frame = this.queue.shift()) await this.handle(frame);
    } finally {
      this.busy = false;
    }
  }

  private fail(reason: string): void {
    this.broker.settings.logger.warn('closing connection', { connection: this.id, client: this.host, reason });
    this.socket.destroy();
  }

  private async handle(frame: Buffer): Promise<void> {
    const r = new Reader(frame);
    let ctx: RequestContext;
    try {
      // Request header v1 (every version implemented here is non-flexible).
      ctx = { apiKey: r.int16(), version: r.int16(), correlationId: r.int32(), clientId: r.nullableString(), clientHost: this.host, connectionId: this.id };
    } catch (err) {
      return this.fail(`unreadable request header: ${(err as Error).message}`);
    }
    const api = APIS.get(ctx.apiKey);
    if (!api) return this.fail(`unsupported API key ${ctx.apiKey}`);
    if (ctx.apiKey === ApiKey.ApiVersions && ctx.version > api.maxVersion) {
      // As Kafka does: an ApiVersions request newer than we know is answered in the v0 format with UNSUPPORTED_VERSION
      // and the full list, so the client can pick a version it shares with us.
      this.hooks.onRequest(ctx.apiKey, ctx.version);
      return this.send(ctx.correlationId, (w) => api.encode(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apis: this.broker.supportedApis }, 0));
    }
    if (ctx.version < api.minVersion || ctx.version > api.maxVersion) {
      return this.fail(`${api.name} v${ctx.version} is not supported (v${api.minVersion}-${api.maxVersion})`);
    }
    let req: unknown;
    try {
      req = api.decode(r, ctx.version);
    } catch (err) {
      if (err instanceof ProtocolError) return this.fail(`malformed ${api.name} v${ctx.version}: ${err.message}`);
      throw err;
    }
    this.hooks.onRequest(ctx.apiKey, ctx.version);
    const fault = this.hooks.faults.take(ctx.apiKey);
    if (fault.drop) return this.fail(`fault hook: dropping connection on ${api.name}`);
    let res: unknown;
    if (fault.failWith !== undefined) {
      res = api.fail(req, fault.failWith);
    } else {
      try {
        res = await api.handle(this.broker, req, ctx);
      } catch (err) {
        this.broker.settings.logger.error('request failed', { api: apiName(ctx.apiKey), version: ctx.version, error: (err as Error).stack });
        res = api.fail(req, ErrorCode.UNKNOWN_SERVER_ERROR);
      }
    }
    if (fault.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (res === null || api.noResponse?.(req)) return;
    this.send(ctx.correlationId, (w) => api.encode(w, res, ctx.version));
  }

  private send(correlationId: number, body: (w: Writer) => void): void {
    if (this.socket.destroyed) return;
    const w = new Writer(1024);
    w.int32(0).int32(correlationId); // size placeholder, response header v0
    body(w);
    w.patchSizePrefix(w.length - 4);
    const parts = w.toBuffers();
    // Stored record batches go out by reference (never modified after append); cork makes it one writev.
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
  }
}

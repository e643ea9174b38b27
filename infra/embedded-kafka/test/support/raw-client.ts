import { connect, type Socket } from 'node:net';
import { Reader } from '../../src/codec/reader';
import { Writer } from '../../src/codec/writer';

/**
 * A bare Kafka wire client for protocol edge cases kafkajs never sends (too-new versions, acks=0 ordering):
 * writes request header v1 frames and returns response frames by correlation id, in arrival order.
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  readonly frames: Array<{ correlationId: number; body: Reader }> = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const frame = this.buf.subarray(4, 4 + this.buf.readInt32BE(0));
        this.buf = this.buf.subarray(4 + frame.length);
        const r = new Reader(Buffer.from(frame));
        this.frames.push({ correlationId: r.int32(), body: r });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static async connect(hostPort: string): Promise<RawClient> {
    const [host, port] = hostPort.split(':');
    const socket = connect({ host, port: Number(port) });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  send(apiKey: number, version: number, correlationId: number, body: (w: Writer) => void = () => undefined): void {
    const w = new Writer();
    w.int32(0).int16(apiKey).int16(version).int32(correlationId).nullableString('raw-client');
    body(w);
    w.patchSizePrefix(w.length - 4);
    this.socket.write(Buffer.from(w.toBuffer()));
  }

  async waitFrames(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} response frames, got ${this.frames.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** Resolves when the broker closes the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => (this.socket.destroyed ? resolve() : this.socket.once('close', () => resolve())));
  }

  close(): void {
    this.socket.destroy();
  }
}

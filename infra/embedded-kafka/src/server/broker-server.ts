import { createServer, type Server, type Socket } from 'node:net';
import type { BrokerState } from '../broker-state';
import { Connection } from './connection';
import { FaultHooks } from './fault-hooks';

/** The TCP listener: accepts connections and hands each to a Connection. State lives in BrokerState. */
export class BrokerServer {
  readonly faults = new FaultHooks();
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  /** Every (API key, version) a client has used, as "key:version". */
  readonly seenVersions = new Set<string>();

  constructor(private readonly broker: BrokerState) {
    this.faults.onDropAll(() => this.dropConnections());
  }

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((socket: Socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => (server.off('error', reject), resolve()));
    });
    this.server = server;
    return (server.address() as { port: number }).port;
  }

  private accept(socket: Socket): void {
    const connection = new Connection(socket, this.nextConnectionId++, this.broker, {
      faults: this.faults,
      onRequest: (key, version) => this.seenVersions.add(`${key}:${version}`),
    });
    this.connections.add(connection);
    socket.once('close', () => this.connections.delete(connection));
  }

  dropConnections(): void {
    for (const c of this.connections) c.close();
    this.connections.clear();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { registerBulkRoutes } from './api/bulk-api';
import { registerClusterRoutes } from './api/cluster-api';
import { registerDocumentRoutes } from './api/document-api';
import { registerIndexRoutes } from './api/index-api';
import { registerPitRoutes } from './api/pit-api';
import { registerSearchRoutes } from './api/search-api';
import type { ServerContext } from './api/server-context';
import { Faults } from './faults';
import { PitRegistry } from './search/pit-registry';
import { createEsHttpServer } from './http/http-server';
import { Router } from './http/router';
import { Cluster } from './index/cluster';
import { newUuid } from './index/index-store';

export interface EmbeddedElasticsearchOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  clusterName?: string;
}

export interface EmbeddedElasticsearch {
  /** e.g. `http://127.0.0.1:9200` */
  readonly url: string;
  readonly port: number;
  readonly faults: Faults;
  /** Stops the server and drops all data. */
  stop(): Promise<void>;
  /** Stops listening and listens again on the same port, keeping the data (as a node restart with its translog). */
  restart(): Promise<void>;
  /**
   * Takes the node away while `during` runs (connections refused, as with a stopped node), then brings it back on the
   * same port with its data, as a restart does.
   */
  suspend<T>(during: () => Promise<T>): Promise<T>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts an in-memory server speaking the Elasticsearch REST API subset this project uses (see README). */
export async function startEmbeddedElasticsearch(options: EmbeddedElasticsearchOptions = {}): Promise<EmbeddedElasticsearch> {
  const host = options.host ?? '127.0.0.1';
  const ctx: ServerContext = {
    cluster: new Cluster(),
    faults: new Faults(),
    pits: new PitRegistry(),
    clusterName: options.clusterName ?? 'embedded-elasticsearch',
    clusterUuid: newUuid(),
    nodeName: 'embedded-node-0',
  };
  const router = new Router();
  registerClusterRoutes(router, ctx);
  registerBulkRoutes(router, ctx);
  registerSearchRoutes(router, ctx);
  registerPitRoutes(router, ctx);
  registerDocumentRoutes(router, ctx);
  registerIndexRoutes(router, ctx);
  let server = createEsHttpServer(router, ctx.faults);
  const port = await listen(server, options.port ?? 0, host);
  let running = true;
  const node: EmbeddedElasticsearch = {
    url: `http://${host}:${port}`,
    port,
    faults: ctx.faults,
    async stop() {
      if (running) await close(server);
      running = false;
      ctx.pits.closeAll();
      for (const store of ctx.cluster.indices.values()) store.close();
      ctx.cluster.indices.clear();
      ctx.cluster.aliases.clear();
    },
    async restart() {
      await node.suspend(async () => undefined);
    },
    async suspend<T>(during: () => Promise<T>): Promise<T> {
      if (running) await close(server);
      running = false;
      // Search contexts do not survive a node restart.
      ctx.pits.closeAll();
      for (const store of ctx.cluster.indices.values()) {
        store.stopRefreshTimer();
        store.refresh();
      }
      try {
        return await during();
      } finally {
        server = createEsHttpServer(router, ctx.faults);
        await listen(server, port, host);
        running = true;
        for (const store of ctx.cluster.indices.values()) store.startRefreshTimer();
      }
    },
  };
  return node;
}

/** The embedded search server as its own process for the benchmark: `search-server.ts --port N`; stops on SIGTERM. */
import { startEmbeddedElasticsearch } from '@nova/embedded-elasticsearch';

async function main() {
  const i = process.argv.indexOf('--port');
  const server = await startEmbeddedElasticsearch({ port: i >= 0 ? Number(process.argv[i + 1]) : 0 });
  process.stderr.write(`search server at ${server.url}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();

import { startEmbeddedElasticsearch } from '../embedded-elasticsearch';

/**
 * Standalone runner: `npm run embedded:es -- --port 9200 [--host 127.0.0.1]`. Prints one JSON line with its URL when
 * ready, stops on SIGTERM / SIGINT.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function line(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'embedded-elasticsearch', timestamp: new Date().toISOString(), ...fields })}\n`);
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.EMBEDDED_ES_PORT ?? 9200);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${String(arg('port'))}`);
  const server = await startEmbeddedElasticsearch({ port, host: arg('host') ?? '127.0.0.1' });
  line({ message: 'embedded-elasticsearch ready', url: server.url });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => {
      line({ message: 'embedded-elasticsearch stopped', signal });
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'embedded-elasticsearch', message: 'failed to start', error: String(err) })}\n`);
  process.exit(1);
});

import type { Logger } from '@nova/logger';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (or 1 if stopping failed or took longer than
 * `timeoutMs`). A second signal while stopping exits at once.
 */
export function handleShutdown(logger: Logger, stop: (signal: string) => Promise<void>, timeoutMs = 30_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('Second signal while stopping; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('Stopping', { signal });
    const timer = setTimeout(() => {
      logger.error('Stop timed out; exiting', { timeoutMs });
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop(signal).then(
      () => {
        logger.info('Stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('Error while stopping', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Logs a boot failure (e.g. bad configuration) without a stack trace for expected errors, then exits 1. */
export function exitOnBootError(logger: Logger | undefined, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (logger) logger.error('Failed to start', { err });
  else process.stderr.write(`${message}\n`);
  process.exit(1);
}

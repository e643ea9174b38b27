/** The logging surface the broker needs; a winston Logger (e.g. from @nova/logger) satisfies it. */
export interface BrokerLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

const noop = () => undefined;
export const silentLogger: BrokerLogger = { debug: noop, info: noop, warn: noop, error: noop };

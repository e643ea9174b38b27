import winston from 'winston';

export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Service name, added to every line as `service`. */
  service: string;
  level?: string;
  /** `json` (default): one JSON object per line. `pretty`: readable, colourised lines for a terminal. */
  format?: 'json' | 'pretty';
  /** Extra transports (tests capture lines with a stream transport). */
  transports?: winston.transport[];
}

const pretty = winston.format.combine(
  winston.format.colorize(),
  winston.format.printf(({ level, message, timestamp, service, ...fields }) => {
    const rest = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    return `${String(timestamp)} ${level} [${String(service)}] ${String(message)}${rest}`;
  }),
);

/**
 * One logger per process. Use `logger.child({ component: 'x', topic, partition })` for context fields;
 * errors passed as `{ err }` are serialised with their stack.
 */
export function createLogger(options: LoggerOptions): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      serializeErrors(),
      options.format === 'pretty' ? pretty : winston.format.json(),
    ),
    transports: options.transports ?? [new winston.transports.Console({ stderrLevels: ['error'] })],
  });
}

/** Turns `{ err: Error }` fields into plain objects JSON can carry (message, name, code, stack). */
const serializeErrors = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown };
      info[key] = { name: e.name, message: e.message, code: e.code, stack: e.stack };
    }
  }
  return info;
});

/** A logger that discards everything (for tests and tools that do not care). */
export function createSilentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}

import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from './index';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk).trim());
      cb();
    },
  });
  return { lines, transport: new winston.transports.Stream({ stream }) };
}

describe('logger', () => {
  it('writes JSON lines with service, child fields and serialised errors', () => {
    const { lines, transport } = capture();
    const log = createLogger({ service: 'indexer-worker', level: 'info', transports: [transport] });
    log.child({ component: 'consumer', topic: 'message_persisted', partition: 2 }).error('Failed to index message', { err: new Error('boom') });
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      level: 'error',
      message: 'Failed to index message',
      service: 'indexer-worker',
      component: 'consumer',
      topic: 'message_persisted',
      partition: 2,
      err: { name: 'Error', message: 'boom' },
    });
    expect(typeof line.timestamp).toBe('string');
  });

  it('honours the level', () => {
    const { lines, transport } = capture();
    const log = createLogger({ service: 's', level: 'warn', transports: [transport] });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['shown']);
  });

  it('prints readable lines in pretty mode', () => {
    const { lines, transport } = capture();
    createLogger({ service: 'api', format: 'pretty', transports: [transport] }).info('ready', { port: 8086 });
    expect(lines[0]).toMatch(/info.*\[api\] ready \{"port":8086\}/);
  });
});

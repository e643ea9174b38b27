import { ApiKey, type ApiName } from '../protocol/api-keys';

export type ApiSelector = ApiName | number | '*';

interface Rule {
  api: number | '*';
  remaining: number;
  action: { kind: 'fail'; errorCode: number } | { kind: 'delay'; ms: number } | { kind: 'drop' };
}

export interface Fault {
  failWith?: number;
  delayMs?: number;
  drop?: boolean;
}

/**
 * Fault injection for tests. Each rule applies to the next N requests of an API (by name, key, or '*' for any):
 * answer with an error code (the API's own response shape, so the client sees a genuine broker error), delay the
 * response, or drop the connection without answering. Rules are consumed in the order they were added.
 */
export class FaultHooks {
  private rules: Rule[] = [];
  private dropAllListener: (() => void) | null = null;

  /** The next `count` requests of `api` are answered with `errorCode` instead of being processed. */
  failNext(api: ApiSelector, errorCode: number, count = 1): void {
    this.rules.push({ api: resolve(api), remaining: count, action: { kind: 'fail', errorCode } });
  }

  /** The next `count` responses of `api` are held back `ms` milliseconds (default: every response until cleared). */
  delay(api: ApiSelector, ms: number, count = Number.POSITIVE_INFINITY): void {
    this.rules.push({ api: resolve(api), remaining: count, action: { kind: 'delay', ms } });
  }

  /** The connection that carries the next `count` requests of `api` is closed without a response. */
  dropConnectionOn(api: ApiSelector, count = 1): void {
    this.rules.push({ api: resolve(api), remaining: count, action: { kind: 'drop' } });
  }

  /** Closes every client connection now (the listener stays up; clients reconnect). */
  dropAllConnections(): void {
    this.dropAllListener?.();
  }

  clear(): void {
    this.rules = [];
  }

  /** @internal Wired by the server. */
  onDropAll(fn: () => void): void {
    this.dropAllListener = fn;
  }

  /** @internal The fault to apply to one request of `apiKey` (consumes matching rules). */
  take(apiKey: number): Fault {
    const fault: Fault = {};
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.api !== '*' && rule.api !== apiKey)) continue;
      const a = rule.action;
      if (a.kind === 'fail' && fault.failWith === undefined) fault.failWith = a.errorCode;
      else if (a.kind === 'delay' && fault.delayMs === undefined) fault.delayMs = a.ms;
      else if (a.kind === 'drop' && !fault.drop) fault.drop = true;
      else continue;
      rule.remaining--;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return fault;
  }
}

function resolve(api: ApiSelector): number | '*' {
  if (api === '*' || typeof api === 'number') return api;
  const key = ApiKey[api];
  if (key === undefined) throw new Error(`unknown API name ${String(api)}`);
  return key;
}

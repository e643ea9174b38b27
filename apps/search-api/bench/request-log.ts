/**
 * Per-request records of a bench run (which query class, which path, how long, whether the answer has more pages) and
 * the CPU the processes involved spent on them. autocannon's own percentiles correct for coordinated omission with
 * an expected interval of ceil(1 / per-connection rate) = 1 ms, so a response of L ms also records L - 1 synthetic
 * samples: its p99 is weighted by latency. The per-class figures here are the plain distribution of the responses.
 */
import { appendFileSync } from 'node:fs';
import type { Sql } from '@nova/postgres';
import { processCpuSeconds } from '@nova/testing';

export type QueryClass = 'one_word' | 'two_words' | 'zh_2' | 'zh_3plus';

export function queryClass(q: string): QueryClass {
  const han = [...q].filter((ch) => /\p{Script=Han}/u.test(ch)).length;
  if (han > 0) return han === 2 ? 'zh_2' : 'zh_3plus';
  return q.trim().split(/\s+/u).length === 1 ? 'one_word' : 'two_words';
}

export interface RequestRecord {
  path: string;
  cls: QueryClass;
  q: string;
  status: number;
  ms: number;
  /** When the response arrived (ms since the epoch). */
  at: number;
  /** The answer has a next page: on the Elasticsearch path, the request opened a point in time. */
  more: boolean;
  backend: string;
  /** The API's own time for the search (after authentication and parsing). */
  tookMs: number;
}

/** Collects one record per response: `onResponse` sees the body, the tracker's `response` event the latency. */
export class RequestRecorder {
  readonly records: RequestRecord[] = [];
  private pending: Omit<RequestRecord, 'ms' | 'at'> | undefined;

  constructor(private readonly path: string) {}

  /** For autocannon's `onResponse(status, body, context)`; `context.q` was set by `setupRequest`. */
  onResponse = (status: number, body: string, context: Record<string, unknown>): void => {
    const q = String(context['q'] ?? '');
    this.pending = {
      path: this.path,
      cls: queryClass(q),
      q,
      status,
      more: !body.includes('"next_cursor":null'),
      backend: /"backend":"(\w+)"/u.exec(body)?.[1] ?? 'none',
      tookMs: Number(/"took_ms":(\d+)/u.exec(body)?.[1] ?? -1),
    };
  };

  /** For the autocannon tracker's `response` event (emitted right after `onResponse`, synchronously). */
  onLatency = (_client: unknown, _status: number, _bytes: number, ms: number): void => {
    if (this.pending) this.records.push({ ...this.pending, ms, at: Date.now() });
    this.pending = undefined;
  };

  write(file: string): void {
    appendFileSync(file, this.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  /** Plain (uncorrected) percentiles per query class and in total. */
  summary(): Record<string, { n: number; more: number; p50: number; p90: number; p99: number; max: number; took_p99: number }> {
    const groups = new Map<string, RequestRecord[]>([['all', this.records]]);
    for (const r of this.records) groups.set(r.cls, [...(groups.get(r.cls) ?? []), r]);
    const out: ReturnType<RequestRecorder['summary']> = {};
    for (const [name, rs] of groups) {
      const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
      const took = rs.map((r) => r.tookMs).sort((a, b) => a - b);
      const at = (a: number[], p: number) => Math.round((a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? 0) * 10) / 10;
      out[name] = { n: rs.length, more: rs.filter((r) => r.more).length, p50: at(ms, 0.5), p90: at(ms, 0.9), p99: at(ms, 0.99), max: at(ms, 1), took_p99: at(took, 0.99) };
    }
    return out;
  }
}

/** CPU seconds of the API, its PostgreSQL sessions, the search server and this process, read at two moments. */
export class CpuMeter {
  private start = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    private readonly pids: { api: number; searchServer: number },
  ) {}

  private async read(): Promise<Map<string, number>> {
    const sessions = await this.sql<{ pid: number }[]>`select pid from pg_stat_activity where application_name = 'nova-search-api'`;
    const cpu = (pid: number) => {
      try {
        return processCpuSeconds(pid);
      } catch {
        return 0; // a session that ended
      }
    };
    const own = process.cpuUsage();
    return new Map([
      ['api', cpu(this.pids.api)],
      ['search_server', cpu(this.pids.searchServer)],
      ['load_generator', (own.user + own.system) / 1e6],
      // Per session: one that opens during the run counts from zero, one that ends is left out at both moments.
      ...sessions.map(({ pid }) => [`postgres:${pid}`, cpu(pid)] as [string, number]),
    ]);
  }

  async begin(): Promise<void> {
    this.start = await this.read();
  }

  /** Milliseconds of CPU per request since `begin`, per process group. */
  async perRequest(requests: number): Promise<Record<string, number>> {
    const end = await this.read();
    const seconds: Record<string, number> = {};
    for (const [k, v] of end) {
      const group = k.split(':')[0] as string;
      seconds[group] = (seconds[group] ?? 0) + v - (this.start.get(k) ?? 0);
    }
    return Object.fromEntries(Object.entries(seconds).map(([k, s]) => [k, Math.round((s * 1000 * 100) / Math.max(1, requests)) / 100]));
  }
}

/**
 * `npm run bench:es [-- --docs 1000000 --batch 2000 --concurrency 2 --queries 300]`
 *
 * Runs the standalone server as a child process, bulk-indexes message documents (about 300 bytes of text each)
 * through HTTP `_bulk` exactly as the indexer does, refreshes, then runs two-word `match` queries. Reports indexing
 * throughput (until every document is searchable), the server's peak resident memory (VmHWM) and query latency.
 * The last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { MESSAGE_MAPPINGS, indexSettings } from '@nova/search-index';
import { freePort, numberArg, processCpuSeconds, processMemoryMb, waitForHttpOk, WORKSPACE_ROOT } from '@nova/testing';
import { text, word } from './corpus';


const DOCS = numberArg('docs', 1_000_000);
const BATCH = numberArg('batch', 2000);
const CONCURRENCY = numberArg('concurrency', 2);
const QUERIES = numberArg('queries', 300);

const CONVERSATIONS = Array.from({ length: 5000 }, () => randomUUID());
const SENDERS = Array.from({ length: 2000 }, () => randomUUID());

function bulkBody(index: string, from: number, count: number): string {
  let body = '';
  for (let i = from; i < from + count; i++) {
    const id = randomUUID();
    const lsn = 0x16b3748 + i;
    body += `${JSON.stringify({ index: { _index: index, _id: id, version: lsn, version_type: 'external_gte' } })}\n`;
    body += `${JSON.stringify({
      id, conversation_id: CONVERSATIONS[i % CONVERSATIONS.length], sender_id: SENDERS[i % SENDERS.length], content: text(300),
      created_at: new Date(1_767_225_600_000 + i * 1000).toISOString(), edited_at: null, deleted: false, deleted_at: null,
      source_lsn: `0/${lsn.toString(16).toUpperCase()}`, committed_at: null, indexed_at: new Date().toISOString(),
    })}\n`;
  }
  return body;
}

async function request(url: string, method: string, body?: string, ndjson = false): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method, body, headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' } });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

async function main(): Promise<void> {
  const port = await freePort();
  // `node --import tsx` runs the server in this child itself (the tsx CLI would add a wrapper process), so its
  // /proc status is the server's memory.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(WORKSPACE_ROOT, 'infra/embedded-elasticsearch/src/cli/main.ts'), '--port', String(port)], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(url);
    const index = 'bench_messages_v1';
    await request(`${url}/${index}`, 'PUT', JSON.stringify({ settings: indexSettings(), mappings: MESSAGE_MAPPINGS }));
    // Bodies are built before the clock starts, so the client's JSON work does not compete with the server for CPU.
    const bodies: string[] = [];
    for (let from = 0; from < DOCS; from += BATCH) bodies.push(bulkBody(index, from, Math.min(BATCH, DOCS - from)));
    process.stdout.write(`built ${bodies.length} bulk bodies of ${BATCH} docs\n`);
    const cpuBefore = processCpuSeconds(child.pid!);
    const started = Date.now();
    let next = 0;
    let done = 0;
    let lastReport = started;
    const worker = async () => {
      while (next < DOCS) {
        const from = next;
        const count = Math.min(BATCH, DOCS - from);
        next += count;
        const body = bodies[from / BATCH];
        bodies[from / BATCH] = '';
        const res = await request(`${url}/_bulk`, 'POST', body, true);
        if (res.errors) throw new Error(`bulk errors: ${JSON.stringify(res).slice(0, 500)}`);
        done += count;
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          process.stdout.write(`indexed ${done} docs, ${Math.round(done / ((Date.now() - started) / 1000))} docs/s, server rss peak ${Math.round(processMemoryMb(child.pid, 'peak'))} MB\n`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await request(`${url}/${index}/_refresh`, 'POST');
    const seconds = (Date.now() - started) / 1000;
    const count = (await request(`${url}/${index}/_count`, 'GET')).count as number;
    if (count !== DOCS) throw new Error(`expected ${DOCS} searchable documents, found ${count}`);
    const docsPerS = Math.round(DOCS / seconds);
    const serverCpu = processCpuSeconds(child.pid!) - cpuBefore;
    process.stdout.write(`indexed ${DOCS} docs in ${seconds.toFixed(1)} s (${docsPerS} docs/s, including the final refresh)\n`);

    const latencies: number[] = [];
    let totalHits = 0;
    for (let i = 0; i < QUERIES + 20; i++) {
      const query = `${word()} ${word()}`;
      const t0 = process.hrtime.bigint();
      const res = await request(`${url}/${index}/_search`, 'POST', JSON.stringify({ query: { match: { content: query } }, size: 20 }));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 20) {
        latencies.push(ms);
        totalHits += ((res.hits as { total: { value: number } }).total.value);
      }
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
    const result = {
      docs: DOCS,
      batch: BATCH,
      concurrency: CONCURRENCY,
      index_seconds: Number(seconds.toFixed(1)),
      docs_per_s: docsPerS,
      server_cpu_s_indexing: Number(serverCpu.toFixed(1)),
      max_rss_mb: Math.round(processMemoryMb(child.pid, 'peak')),
      queries: latencies.length,
      query_p50_ms: Number(pct(50).toFixed(1)),
      query_p99_ms: Number(pct(99).toFixed(1)),
      query_max_ms: Number(latencies[latencies.length - 1].toFixed(1)),
      avg_total_hits: Math.round(totalHits / latencies.length),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)} ${String((err as { cause?: unknown }).cause ?? '')}\n`);
  process.exit(1);
});

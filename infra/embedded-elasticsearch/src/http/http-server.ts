import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EsError } from './es-error';
import { RequestBody } from './request-body';
import { ResponseFilter } from './response-filter';
import { RouteError, checkParams, type EsRequest, type Router } from './router';
import type { Faults } from '../faults';

const JSON_TYPES = /^(application\/json|application\/x-ndjson|application\/vnd\.elasticsearch\+(json|x-ndjson))\b/;

function compatibleWith(value: string | undefined): number | undefined {
  const m = value ? /compatible-with\s*=\s*(\d+)/.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}

function readBody(req: IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new RequestBody(chunks)));
    req.on('error', reject);
  });
}

/** The HTTP front: media types, the product header, faults, routing and Elasticsearch-shaped errors. */
export function createEsHttpServer(router: Router, faults: Faults): Server {
  const server = createServer((req, res) => {
    handle(router, faults, req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { error: { root_cause: [], type: 'exception', reason: String(err) }, status: 500 }, undefined);
      else res.destroy();
    });
  });
  // Node closes idle keep-alive connections after 5 s, racing clients that reuse them; Elasticsearch keeps them open.
  server.keepAliveTimeout = 120_000;
  return server;
}

async function handle(router: Router, faults: Faults, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const compat = compatibleWith(req.headers.accept) ?? compatibleWith(req.headers['content-type']);
  const pretty = url.searchParams.has('pretty') && url.searchParams.get('pretty') !== 'false';
  const reply = (status: number, body: unknown) => send(res, status, method === 'HEAD' ? undefined : body, compat, pretty);
  try {
    if (compat !== undefined && compat !== 8 && compat !== 9) {
      throw new EsError(400, 'media_type_header_exception', 'Invalid media-type value on headers [Accept, Content-Type]', {},
        new EsError(400, 'status_exception', `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. Compatible versions: [8, 9]`));
    }
    const contentType = req.headers['content-type'];
    if (body.length > 0 && contentType && !JSON_TYPES.test(contentType)) {
      reply(406, { error: `Content-Type header [${contentType}] is not supported`, status: 406 });
      return;
    }
    if (faults.unavailable && !url.pathname.startsWith('/_embedded/')) {
      throw new EsError(503, 'cluster_block_exception', 'blocked by: [SERVICE_UNAVAILABLE/2/no master]; (fault injected by embedded-elasticsearch)');
    }
    const route = router.match(method, url.pathname);
    let parsed: Record<string, unknown> | undefined | null = null;
    const request: EsRequest = {
      method,
      path: url.pathname,
      params: route.params,
      query: url.searchParams,
      headers: req.headers,
      body,
      json() {
        if (parsed === null) {
          const text = body.length > 0 ? body.text() : (url.searchParams.get('source') ?? '');
          try {
            parsed = text.trim() === '' ? undefined : JSON.parse(text);
          } catch (e) {
            throw new EsError(400, 'x_content_parse_exception', `[1:1] ${(e as Error).message}`);
          }
        }
        return parsed ?? undefined;
      },
    };
    checkParams(request, route.accepts);
    const result = await route.handler(request);
    // filter_path applies to every response a handler builds (a 404 GET, a bulk with failed items too), never to
    // error bodies (EsError, RouteError): Elasticsearch builds those with filtering disabled.
    const filterPath = url.searchParams.get('filter_path');
    const filter = filterPath === null ? undefined : ResponseFilter.parse(filterPath);
    reply(result.status, filter && result.body !== null && typeof result.body === 'object' ? filter.apply(result.body) : result.body);
  } catch (err) {
    if (err instanceof EsError) reply(err.status, err.body());
    else if (err instanceof RouteError) reply(err.status, { error: err.message, status: err.status });
    else throw err;
  }
}

function send(res: ServerResponse, status: number, body: unknown, compat: number | undefined, pretty = false): void {
  const headers: Record<string, string> = { 'X-elastic-product': 'Elasticsearch' };
  let payload: string | undefined;
  if (typeof body === 'string') {
    headers['content-type'] = 'text/plain; charset=UTF-8';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = compat ? `application/vnd.elasticsearch+json;compatible-with=${compat}` : 'application/json';
    payload = pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body);
  } else {
    headers['content-type'] = compat ? `application/vnd.elasticsearch+json;compatible-with=${compat}` : 'application/json';
  }
  headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  res.writeHead(status, headers);
  res.end(payload);
}

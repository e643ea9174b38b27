import type { Server } from 'node:http';
import { createServer } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { Logger } from '@nova/logger';
import { createServiceApp } from '@nova/runtime';
import type { Registry } from 'prom-client';
import { AuthError, type JwtVerifier, type Principal } from './auth/jwt-verifier';
import { BackendError } from './backends/search-backend';
import { ApiError, errorHandler, sendError } from './http/api-error';
import { requestLimits, securityHeaders } from './http/http-guards';
import type { RateLimiter } from './http/rate-limiter';
import { buildOpenApiDocument } from './openapi';
import type { SearchMetrics } from './search/search-metrics';
import { parseSearchParams, ROUTE_PARAMS } from './search/search-params';
import type { SearchResponse, SearchService } from './search/search-service';

export interface SearchAppDeps {
  service: SearchService;
  verifier: JwtVerifier;
  ipLimiter: RateLimiter;
  userLimiter: RateLimiter;
  metrics: SearchMetrics;
  registry: Registry;
  logger: Logger;
  maxQueryLength: number;
  trustProxy: boolean;
  readiness: () => { ready: boolean; details?: Record<string, unknown> };
}

type Route = keyof typeof ROUTE_PARAMS;

export function createSearchApp(deps: SearchAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Responses are `Cache-Control: no-store`: an ETag (a SHA-1 of every body) would never be used.
  app.disable('etag');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(requestLimits);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeLabel(req);
      const backend = (res.locals['backend'] as string | undefined) ?? 'none';
      deps.metrics.requests.inc({ route, status: String(res.statusCode), backend });
      deps.metrics.duration.observe({ route, backend }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });

  const openapi = buildOpenApiDocument(deps.maxQueryLength);
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/api/v1/search/posts', (req, res, next) => {
    handleSearch(deps, 'posts', req, res).catch(next);
  });
  app.get('/api/v1/search/messages', (req, res, next) => {
    handleSearch(deps, 'messages', req, res).catch(next);
  });
  app.all(['/api/v1/search/posts', '/api/v1/search/messages', '/api/v1/openapi.json'], (_req, res) => {
    res.set('Allow', 'GET, HEAD');
    sendError(res, new ApiError('METHOD_NOT_ALLOWED', 'only GET is supported'));
  });
  // /health/* and /metrics: a mounted app re-prototypes req and res on the way in and out, so it comes after the
  // search routes, which therefore never pass through it.
  app.use(createServiceApp({ service: 'search-api', registry: deps.registry, readiness: deps.readiness }));
  app.use((_req, res) => sendError(res, new ApiError('NOT_FOUND', 'no such route')));
  app.use(errorHandler(deps.logger));
  return app;
}

async function handleSearch(deps: SearchAppDeps, route: Route, req: Request, res: Response): Promise<void> {
  const ipWait = deps.ipLimiter.take(`ip:${req.ip ?? 'unknown'}`);
  if (ipWait > 0) return limited(deps, res, 'ip', ipWait);
  let principal: Principal | undefined;
  try {
    principal = deps.verifier.verify(req.headers.authorization);
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    return sendError(res, new ApiError('UNAUTHORIZED', err.message, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));
  }
  if (route === 'messages' && !principal) {
    return sendError(res, new ApiError('UNAUTHORIZED', 'messages are private: send Authorization: Bearer <JWT>', undefined, { 'WWW-Authenticate': 'Bearer' }));
  }
  if (principal) {
    const userWait = deps.userLimiter.take(`user:${principal.userId}`);
    if (userWait > 0) return limited(deps, res, 'user', userWait);
  }
  const params = parseSearchParams(route, req.query as Record<string, unknown>, deps.maxQueryLength);
  const started = Date.now();
  let result: SearchResponse;
  try {
    result =
      route === 'messages'
        ? await deps.service.searchMessages(params, (principal as Principal).userId)
        : await deps.service.searchPosts(params, principal?.userId);
  } catch (err) {
    if (err instanceof BackendError) {
      deps.logger.error('Search failed on every backend', { component: 'search', error: err.message, backend: err.backend });
      res.locals['backend'] = err.backend;
      throw new ApiError(err.code === 'BACKEND_TIMEOUT' ? 'BACKEND_TIMEOUT' : 'BACKEND_UNAVAILABLE', 'search is temporarily unavailable', undefined, { 'Retry-After': '1' });
    }
    throw err;
  }
  res.locals['backend'] = result.backend;
  res.json({ ...result, took_ms: Date.now() - started });
}

function limited(deps: SearchAppDeps, res: Response, scope: 'ip' | 'user', waitS: number): void {
  deps.metrics.rateLimited.inc({ scope });
  sendError(res, new ApiError('RATE_LIMITED', `too many requests; retry in ${waitS} s`, undefined, { 'Retry-After': String(waitS) }));
}

function routeLabel(req: Request): string {
  const p = req.path;
  if (p === '/api/v1/search/posts') return 'posts';
  if (p === '/api/v1/search/messages') return 'messages';
  if (p === '/api/v1/openapi.json') return 'openapi';
  if (p.startsWith('/health')) return 'health';
  if (p === '/metrics') return 'metrics';
  return 'other';
}

/** Listens with tight header limits and timeouts. */
export async function listen(app: express.Express, host: string, port: number): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer({ maxHeaderSize: 8192, requestTimeout: 10_000, headersTimeout: 5_000 }, app);
  server.keepAliveTimeout = 5_000;
  // Requests Node rejects before Express sees them (oversized headers/URL, malformed HTTP) get the same JSON shape.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const [status, code, message] = tooLarge ? [431, 'HEADERS_TOO_LARGE', 'request headers or URL too large'] : [400, 'INVALID_PARAMETER', 'malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as { port: number }).port,
    // Stop accepting, let requests in flight finish (at most 5 s), then drop what is left.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

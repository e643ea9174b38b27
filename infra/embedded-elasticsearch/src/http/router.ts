import type { IncomingHttpHeaders } from 'node:http';
import { EsError } from './es-error';
import type { RequestBody } from './request-body';

export interface EsRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: RequestBody;
  /** The JSON body, parsed lazily by `json()`. */
  json(): Record<string, unknown> | undefined;
}

export interface EsResponse {
  status: number;
  /** JSON body (object), plain text (string), or none (HEAD). */
  body?: unknown;
}

export type Handler = (req: EsRequest) => EsResponse | Promise<EsResponse>;

interface Route {
  method: string;
  segments: string[];
  /** Query parameters the route accepts (besides the global ones). */
  accepts: Set<string>;
  handler: Handler;
}

/**
 * Parameters every endpoint accepts: `pretty` indents the JSON, `filter_path` filters successful responses
 * (`response-filter.ts`), the others change nothing here.
 */
export const GLOBAL_PARAMS = new Set(['pretty', 'human', 'error_trace', 'filter_path']);

/** Routes by method and path pattern (`/{index}/_doc/{id}`); literal segments start with `_` or are fixed words. */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: string, accepts: string[], handler: Handler): this {
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      this.routes.push({ method, segments: pattern.split('/').filter(Boolean), accepts: new Set(accepts), handler });
    }
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string>; accepts: Set<string> } {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET' && !this.hasHead(route.segments))) {
        return { handler: route.handler, params, accepts: route.accepts };
      }
      allowed.push(route.method);
    }
    if (allowed.length > 0) {
      throw new RouteError(405, `Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${[...new Set(allowed)].sort().join(', ')}]`);
    }
    throw new RouteError(400, `no handler found for uri [${path}] and method [${method}]`);
  }

  private hasHead(segments: string[]): boolean {
    return this.routes.some((r) => r.method === 'HEAD' && r.segments.join('/') === segments.join('/'));
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith('{')) {
      if (parts[i].startsWith('_') && p !== '{id}') return undefined;
      params[p.slice(1, -1)] = parts[i];
    } else if (p !== parts[i]) return undefined;
  }
  return params;
}

/** Errors Elasticsearch answers with a string `error` (`{"error":"no handler found ...","status":400}`). */
export class RouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function checkParams(req: EsRequest, accepts: Set<string>): void {
  for (const key of req.query.keys()) {
    if (GLOBAL_PARAMS.has(key) || accepts.has(key)) continue;
    throw EsError.badRequest(`request [${req.path}] contains unrecognized parameter: [${key}]`);
  }
}

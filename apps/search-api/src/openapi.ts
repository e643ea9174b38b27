import { ERROR_CODES } from './http/api-error';

const uuid = { type: 'string', format: 'uuid' };
const ts = { type: ['string', 'null'], format: 'date-time' };

function param(name: string, description: string, schema: Record<string, unknown>, required = false) {
  return { name, in: 'query', required, description, schema };
}

function errorResponse(description: string, codes: string[]) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { error: { code: codes[0], message: '…' } } } },
  };
}

/** OpenAPI 3.1 for every route, parameter, response and error code. */
export function buildOpenApiDocument(maxQueryLength: number) {
  const common = [
    param(
      'q',
      'Search text: words (all must match), "quoted phrases", -excluded words or phrases, OR between two terms. Chinese, Japanese and Korean terms match as substrings of two or more characters. Never interpreted as query DSL or SQL.',
      { type: 'string', minLength: 1, maxLength: maxQueryLength },
      true,
    ),
    param('sort', 'relevance (score, then id) or recent (created_at, then id), both descending', { type: 'string', enum: ['relevance', 'recent'], default: 'relevance' }),
    param('limit', 'Hits per page', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    param('cursor', 'next_cursor of the previous page, for the same query (opaque, signed; a modified cursor is a 400)', { type: 'string', maxLength: 2048 }),
  ];
  const errors = {
    '400': errorResponse('Invalid parameter, query or cursor (the error names the parameter)', ['INVALID_PARAMETER', 'INVALID_QUERY', 'INVALID_CURSOR']),
    '401': errorResponse('Missing, expired, not yet valid or wrongly signed token', ['UNAUTHORIZED']),
    '409': errorResponse('The relevance cursor came from a backend that is now unavailable: search again without a cursor', ['CURSOR_STALE']),
    '410': errorResponse(
      'The cursor has expired: its Elasticsearch point in time is gone (SEARCH_ES_PIT_KEEP_ALIVE_S after the previous page, or a cluster restart); search again without a cursor',
      ['CURSOR_EXPIRED'],
    ),
    '413': errorResponse('A request body was sent', ['PAYLOAD_TOO_LARGE']),
    '414': errorResponse('URL too long', ['URI_TOO_LONG']),
    '431': errorResponse('Headers or URL too large', ['HEADERS_TOO_LARGE']),
    '429': { ...errorResponse('Rate limited per user and per IP', ['RATE_LIMITED']), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } } },
    '503': errorResponse('No backend could answer', ['BACKEND_UNAVAILABLE', 'BACKEND_TIMEOUT']),
  };
  const ok = (hit: string) => ({
    description: 'One page of hits',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['backend', 'hits', 'next_cursor', 'took_ms'],
          properties: {
            backend: { type: 'string', enum: ['elasticsearch', 'postgres'], description: 'Which backend answered' },
            hits: { type: 'array', items: { $ref: `#/components/schemas/${hit}` } },
            next_cursor: { type: ['string', 'null'] },
            took_ms: { type: 'integer' },
          },
        },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Nova search API', version: '1.0.0', description: 'Full-text search over Nova posts and private messages (Elasticsearch, with a PostgreSQL fallback).' },
    servers: [{ url: '/' }],
    paths: {
      '/api/v1/search/posts': {
        get: {
          operationId: 'searchPosts',
          summary: 'Search public posts (and, when authenticated, the caller\'s own non-public posts)',
          security: [{}, { bearer: [] }],
          parameters: [...common, param('author_id', 'Only posts by this author', uuid)],
          responses: { '200': ok('PostHit'), ...errors },
        },
      },
      '/api/v1/search/messages': {
        get: {
          operationId: 'searchMessages',
          summary: 'Search messages of the conversations the caller is a member of',
          security: [{ bearer: [] }],
          parameters: [
            ...common,
            param('conversation_id', 'Only this conversation (one the caller is not a member of yields no hits)', uuid),
            param('sender_id', 'Only messages from this sender', uuid),
          ],
          responses: { '200': ok('MessageHit'), ...errors },
        },
      },
      '/api/v1/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
      '/health/live': { get: { operationId: 'live', summary: 'Process is up', responses: { '200': { description: 'live' } } } },
      '/health/ready': {
        get: {
          operationId: 'ready',
          summary: 'Ready when PostgreSQL answers; reports each backend (Elasticsearch reachability and breaker state)',
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/metrics': { get: { operationId: 'metrics', summary: 'Prometheus metrics (nova_search_*)', responses: { '200': { description: 'text exposition format' } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 or RS256; exp required; iss, aud, nbf checked; sub = user id' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_CODES) },
                message: { type: 'string' },
                parameter: { type: 'string', description: 'The offending parameter, when one is to blame' },
                request_id: { type: 'string' },
              },
            },
          },
        },
        MessageHit: {
          type: 'object',
          required: ['id', 'kind', 'score', 'snippet', 'conversation_id', 'sender_id'],
          properties: {
            id: uuid,
            kind: { const: 'message' },
            score: { type: 'number' },
            snippet: { type: 'string', description: 'HTML: matches in <em>, everything else escaped' },
            conversation_id: uuid,
            sender_id: uuid,
            created_at: ts,
            updated_at: { ...ts, description: 'edited_at' },
          },
        },
        PostHit: {
          type: 'object',
          required: ['id', 'kind', 'score', 'snippet', 'title', 'author_id'],
          properties: {
            id: uuid,
            kind: { const: 'post' },
            score: { type: 'number' },
            title: { type: 'string', description: 'HTML, highlighted like snippet' },
            snippet: { type: 'string', description: 'HTML: matches in <em>, everything else escaped' },
            author_id: uuid,
            visibility: { type: 'string', enum: ['public', 'followers', 'private'] },
            created_at: ts,
            updated_at: ts,
          },
        },
      },
    },
  };
}

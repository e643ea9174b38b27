import { ApiError } from '../http/api-error';
import type { SortMode } from '../query/cursor';

export interface SearchParams {
  q: string;
  sort: SortMode;
  limit: number;
  cursor?: string;
  conversationId?: string;
  senderId?: string;
  authorId?: string;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const ROUTE_PARAMS = {
  posts: ['q', 'author_id', 'sort', 'limit', 'cursor'],
  messages: ['q', 'conversation_id', 'sender_id', 'sort', 'limit', 'cursor'],
} as const;

function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError('INVALID_PARAMETER', `${name} must be given once, as a plain value`, name);
  return v;
}

function uuid(query: Record<string, unknown>, name: string): string | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  if (!UUID.test(v)) throw new ApiError('INVALID_PARAMETER', `${name} must be a UUID`, name);
  return v.toLowerCase();
}

/** Validates a route's query string; every problem is a 400 that names the parameter. */
export function parseSearchParams(route: keyof typeof ROUTE_PARAMS, query: Record<string, unknown>, maxQueryLength: number): SearchParams {
  const allowed: readonly string[] = ROUTE_PARAMS[route];
  const unknown = Object.keys(query).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw new ApiError('INVALID_PARAMETER', `unknown parameter ${JSON.stringify(unknown.slice(0, 40))}; allowed: ${allowed.join(', ')}`, unknown.slice(0, 40));
  const q = single(query, 'q');
  if (q === undefined || q.trim() === '') throw new ApiError('INVALID_PARAMETER', 'q is required', 'q');
  if ([...q].length > maxQueryLength) throw new ApiError('INVALID_PARAMETER', `q must be at most ${maxQueryLength} characters`, 'q');
  const sort = single(query, 'sort') ?? 'relevance';
  if (sort !== 'relevance' && sort !== 'recent') throw new ApiError('INVALID_PARAMETER', 'sort must be relevance or recent', 'sort');
  const limitText = single(query, 'limit') ?? '20';
  if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
    throw new ApiError('INVALID_PARAMETER', 'limit must be a whole number from 1 to 100', 'limit');
  }
  const cursor = single(query, 'cursor');
  if (cursor !== undefined && cursor === '') throw new ApiError('INVALID_CURSOR', 'cursor must not be empty', 'cursor');
  return {
    q,
    sort,
    limit: Number(limitText),
    cursor,
    conversationId: route === 'messages' ? uuid(query, 'conversation_id') : undefined,
    senderId: route === 'messages' ? uuid(query, 'sender_id') : undefined,
    authorId: route === 'posts' ? uuid(query, 'author_id') : undefined,
  };
}

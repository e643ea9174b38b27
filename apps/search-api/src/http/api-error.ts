import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '@nova/logger';

/** Every error the API answers with: one JSON shape `{ error: { code, message, parameter?, request_id } }`. */
export const ERROR_CODES = {
  INVALID_PARAMETER: 400,
  INVALID_QUERY: 400,
  INVALID_CURSOR: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CURSOR_STALE: 409,
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  BACKEND_UNAVAILABLE: 503,
  BACKEND_TIMEOUT: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CODES[code];
  }
}

export function sendError(res: Response, err: ApiError): void {
  if (res.headersSent) return;
  res.set(err.headers);
  const requestId = res.locals['requestId'] as string | undefined;
  res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.parameter ? { parameter: err.parameter } : {}), request_id: requestId } });
}

/** Last handler: known errors as they are; Express's own (bad JSON, too large) mapped; anything else a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof ApiError) return sendError(res, err);
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status === 413) return sendError(res, new ApiError('PAYLOAD_TOO_LARGE', 'request body too large'));
    if (status && status >= 400 && status < 500) return sendError(res, new ApiError('INVALID_PARAMETER', 'malformed request'));
    logger.error('Unhandled request error', { component: 'http', error: (err as Error)?.message, stack: (err as Error)?.stack });
    sendError(res, new ApiError('INTERNAL', 'internal error'));
  };
}

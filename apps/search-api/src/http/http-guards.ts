import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError, sendError } from './api-error';

export const MAX_URL_LENGTH = 4096;
export const MAX_BODY_BYTES = 1024;

/** Security headers on every response: nothing here is meant to be framed, sniffed, cached or run as a page. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'Cache-Control': 'no-store',
  });
  res.locals['requestId'] = randomUUID();
  res.set('X-Request-Id', res.locals['requestId'] as string);
  next();
};

/** The API takes no request bodies and short URLs. */
export const requestLimits: RequestHandler = (req, res, next) => {
  if (req.originalUrl.length > MAX_URL_LENGTH) return sendError(res, new ApiError('URI_TOO_LONG', `URL longer than ${MAX_URL_LENGTH} characters`));
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.headers['transfer-encoding'] !== undefined || !(length <= MAX_BODY_BYTES)) {
    res.set('Connection', 'close');
    return sendError(res, new ApiError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
  }
  next();
};

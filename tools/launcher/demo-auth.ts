import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Per-run secrets for the search API (JWT HS256, cursor signing) and a way to mint a demo user's token. */
export function demoAuth() {
  const secret = process.env['AUTH_JWT_SECRET'] ?? randomBytes(32).toString('hex');
  const issuer = 'nova-demo';
  const audience = 'nova-search';
  return {
    env: {
      AUTH_JWT_SECRET: secret,
      AUTH_JWT_ISSUER: issuer,
      AUTH_JWT_AUDIENCE: audience,
      SEARCH_CURSOR_SECRET: process.env['SEARCH_CURSOR_SECRET'] ?? randomBytes(32).toString('hex'),
    },
    token: (userId: string) => jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', issuer, audience, expiresIn: '12h' }),
  };
}

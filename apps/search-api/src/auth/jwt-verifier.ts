import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface AuthOptions {
  algorithm: 'HS256' | 'RS256';
  /** HS256 secret or RS256 PEM public key; without one, no token is ever accepted. */
  key: string | undefined;
  issuer: string;
  audience: string;
  clockToleranceS: number;
}

export interface Principal {
  userId: string;
}

export class AuthError extends Error {
  readonly code = 'UNAUTHORIZED';
  readonly retryable = false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TOKEN_LENGTH = 4096;

/** Verifies `Authorization: Bearer <JWT>`: pinned algorithm, signature, `exp` (required), `nbf`, issuer, audience, `sub`. */
export class JwtVerifier {
  // Parsed once: jsonwebtoken would otherwise re-derive the key object from the string on every verify (~1 ms).
  private readonly key: KeyObject | undefined;

  constructor(private readonly options: AuthOptions) {
    if (options.key) this.key = options.algorithm === 'RS256' ? createPublicKey(options.key) : createSecretKey(Buffer.from(options.key, 'utf8'));
  }

  /** `undefined` header -> anonymous (undefined); anything else must be a valid token or AuthError is thrown. */
  verify(header: string | undefined): Principal | undefined {
    if (header === undefined) return undefined;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header);
    if (!match || header.length > MAX_TOKEN_LENGTH) throw new AuthError('expected Authorization: Bearer <JWT>');
    if (!this.key) throw new AuthError('token verification is not configured');
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(match[1] as string, this.key, {
        algorithms: [this.options.algorithm],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceS,
      });
    } catch (err) {
      const name = (err as Error).name;
      throw new AuthError(name === 'TokenExpiredError' ? 'token expired' : name === 'NotBeforeError' ? 'token not yet valid' : 'invalid token');
    }
    if (typeof payload === 'string' || typeof payload.exp !== 'number') throw new AuthError('token must carry exp');
    const sub = typeof payload.sub === 'string' ? payload.sub.toLowerCase() : '';
    if (!UUID.test(sub)) throw new AuthError('token subject must be a user id');
    return { userId: sub };
  }
}

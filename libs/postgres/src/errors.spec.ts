import { isRetryablePostgresError } from './errors';

describe('isRetryablePostgresError', () => {
  it.each([
    ['08006', true], // connection_failure
    ['40001', true], // serialization_failure
    ['40P01', true], // deadlock_detected
    ['53300', true], // too_many_connections
    ['57P01', true], // admin_shutdown
    ['ECONNREFUSED', true],
    ['CONNECTION_CLOSED', true],
    ['23505', false], // unique_violation
    ['42P01', false], // undefined_table
    ['22P02', false], // invalid_text_representation
  ])('%s -> %s', (code, expected) => {
    expect(isRetryablePostgresError(Object.assign(new Error('x'), { code }))).toBe(expected);
  });

  it('is false for errors without a code', () => {
    expect(isRetryablePostgresError(new Error('plain'))).toBe(false);
    expect(isRetryablePostgresError(null)).toBe(false);
  });
});

import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate and says how long to wait', () => {
    let t = 0;
    const r = new RateLimiter(2, 4, 10, () => t);
    for (let i = 0; i < 4; i++) expect(r.take('a')).toBe(0);
    expect(r.take('a')).toBe(1);
    expect(r.take('b')).toBe(0); // keys are independent
    t += 500; // one token back
    expect(r.take('a')).toBe(0);
    expect(r.take('a')).toBeGreaterThan(0);
  });

  it('caps the number of keys it remembers', () => {
    const r = new RateLimiter(1, 1, 2, () => 0);
    r.take('a');
    r.take('b');
    r.take('c'); // evicts a
    expect(r.take('a')).toBe(0);
  });
});

import { CircuitBreaker, type BreakerState } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let t = 0;
  const states: BreakerState[] = [];
  const make = () => new CircuitBreaker({ failureThreshold: 0.5, minRequests: 4, windowMs: 1000, openMs: 500, now: () => t, onStateChange: (s) => states.push(s) });
  beforeEach(() => {
    t = 0;
    states.length = 0;
  });

  it('stays closed below the minimum number of requests or the failure ratio', () => {
    const b = make();
    for (let i = 0; i < 3; i++) b.record(false, false);
    expect(b.state).toBe('closed'); // 3 outcomes < 4 required
    const c = make();
    for (let i = 0; i < 4; i++) c.record(true, false);
    for (let i = 0; i < 3; i++) c.record(false, false);
    expect(c.state).toBe('closed'); // 3 of 7 failed
  });

  it('opens at the threshold, refuses requests, then lets exactly one probe through', () => {
    const b = make();
    for (let i = 0; i < 4; i++) b.record(i % 2 === 0, false);
    expect(b.state).toBe('open');
    expect(b.tryAcquire().allowed).toBe(false);
    t += 500;
    const probe = b.tryAcquire();
    expect(probe).toEqual({ allowed: true, probe: true });
    expect(b.tryAcquire().allowed).toBe(false);
    b.record(false, true);
    expect(b.state).toBe('open');
    t += 500;
    b.record(true, b.tryAcquire().probe);
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('forgets failures older than the window', () => {
    const b = make();
    for (let i = 0; i < 3; i++) b.record(false, false);
    t += 1001;
    b.record(false, false);
    expect(b.state).toBe('closed');
  });
});

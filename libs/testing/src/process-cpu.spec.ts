import { processCpuSeconds } from './process-cpu';

describe('processCpuSeconds', () => {
  it('grows with the CPU a process burns', () => {
    const before = processCpuSeconds(process.pid);
    const until = Date.now() + 150;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(processCpuSeconds(process.pid)).toBeGreaterThanOrEqual(before + 0.05);
  });

  it('throws for a process that does not exist', () => {
    expect(() => processCpuSeconds(2 ** 22 + 1)).toThrow();
  });
});

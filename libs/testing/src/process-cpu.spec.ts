import { execFileSync } from 'node:child_process';
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

  it('adds the CPU of reaped children only when asked', () => {
    const before = [processCpuSeconds(process.pid), processCpuSeconds(process.pid, true)];
    // A child that burns CPU, waited for (reaped) by this process.
    execFileSync(process.execPath, ['-e', 'const u = Date.now() + 300; let x = 0; while (Date.now() < u) x += Math.sqrt(x + 1);']);
    const childCpu = processCpuSeconds(process.pid, true) - before[1]! - (processCpuSeconds(process.pid) - before[0]!);
    expect(childCpu).toBeGreaterThanOrEqual(0.2);
  });

  it('throws for a process that does not exist', () => {
    expect(() => processCpuSeconds(2 ** 22 + 1)).toThrow();
  });
});

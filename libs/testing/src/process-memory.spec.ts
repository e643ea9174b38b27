import { processMemoryMb } from './process-memory';

describe('processMemoryMb', () => {
  it('reads resident, peak and proportional memory of a live process, and 0 for a gone one', () => {
    const rss = processMemoryMb(process.pid);
    expect(rss).toBeGreaterThan(10);
    expect(processMemoryMb(process.pid, 'peak')).toBeGreaterThanOrEqual(rss);
    expect(processMemoryMb(process.pid, 'pss')).toBeGreaterThan(0);
    expect(processMemoryMb(2 ** 30)).toBe(0);
    expect(processMemoryMb(undefined, 'peak')).toBe(0);
  });
});

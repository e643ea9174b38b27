import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
  });
  it('fails with the last error after the deadline', async () => {
    await expect(
      waitFor(() => {
        throw new Error('not yet');
      }, { timeoutMs: 30, intervalMs: 5, what: 'the thing' }),
    ).rejects.toThrow(/waiting for the thing \(last: not yet\)/);
  });
});

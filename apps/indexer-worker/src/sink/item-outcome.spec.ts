import { backoffDelay, classifyItem, describeItemError } from './item-outcome';

describe('bulk item outcome', () => {
  it.each([
    [200, 'done'],
    [201, 'done'],
    [409, 'done'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'dead_letter'],
    [404, 'dead_letter'],
    [413, 'dead_letter'],
  ] as const)('status %i -> %s', (status, outcome) => {
    expect(classifyItem({ status })).toBe(outcome);
  });

  it('describes an item error for the dead-letter header', () => {
    expect(describeItemError({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [created_at]' } })).toBe(
      '400 mapper_parsing_exception: failed to parse field [created_at]',
    );
  });
});

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 5_000 };
  it('grows exponentially up to the cap (full jitter at the top of the range)', () => {
    expect([1, 2, 3, 4, 10, 100].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 5_000, 5_000]);
  });
  it('draws uniformly below the ceiling, never 0', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(1);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
  });
});

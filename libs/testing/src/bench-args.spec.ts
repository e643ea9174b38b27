import { numberArg } from './bench-args';

describe('numberArg', () => {
  it('reads --name <number> and falls back when the option is absent', () => {
    const argv = ['node', 'bench.ts', '--docs', '5000', '--rate', '0'];
    expect(numberArg('docs', 1, argv)).toBe(5000);
    expect(numberArg('rate', 200, argv)).toBe(0);
    expect(numberArg('duration', 20, argv)).toBe(20);
  });
});

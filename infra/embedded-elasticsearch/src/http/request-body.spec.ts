import fc from 'fast-check';
import { RequestBody } from './request-body';

/** Bytes cut into chunks at arbitrary points, as a socket delivers them. */
function chunked(bytes: Uint8Array, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(Buffer.from(bytes.subarray(from, p)));
    from = p;
  }
  return chunks;
}

describe('RequestBody', () => {
  const cuts = fc.array(fc.nat(), { maxLength: 12 });
  const check = (bytes: Uint8Array, at: number[]) => {
    const whole = Buffer.from(bytes);
    const expected = whole.toString('utf8').split('\n');
    const body = new RequestBody(chunked(bytes, at));
    expect(body.length).toBe(whole.length);
    expect(body.lines()).toEqual(expected);
    expect(body.endsWithNewline()).toBe(whole.length > 0 && whole[whole.length - 1] === 10);
    expect(body.text()).toBe(whole.toString('utf8'));
    expect(body.lines()).toEqual(expected); // from the decoded text too
  };

  it('splits into the lines of the decoded text, however the chunks fall (text in any script)', () => {
    const line = fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', '\r', '{', '"', 'é', '北', '😀', '\u00a0'), fc.string({ unit: 'binary', maxLength: 3 })), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), cuts, (lines, trailing, at) => {
        check(Buffer.from(lines.join('\n') + (trailing ? '\n' : '')), at);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes invalid UTF-8 as the whole body would, line by line', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(10), fc.integer({ min: 0, max: 255 })), { maxLength: 80 }), cuts, (bytes, at) => {
        check(Uint8Array.from(bytes), at);
      }),
      { numRuns: 200 },
    );
  });

  it('is empty without chunks', () => {
    const body = new RequestBody([]);
    expect(body.length).toBe(0);
    expect(body.lines()).toEqual(['']);
    expect(body.endsWithNewline()).toBe(false);
    expect(body.text()).toBe('');
  });
});

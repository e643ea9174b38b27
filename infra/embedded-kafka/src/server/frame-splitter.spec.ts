import { FrameSplitter } from './frame-splitter';

const framed = (...payloads: string[]) =>
  Buffer.concat(
    payloads.map((p) => {
      const body = Buffer.from(p);
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      return Buffer.concat([size, body]);
    }),
  );

/** Feeds `stream` cut at the given positions and returns the frames as strings. */
function split(stream: Buffer, cuts: number[]): { frames: Buffer[]; error: string | null } {
  const s = new FrameSplitter(1000);
  const frames: Buffer[] = [];
  let error: string | null = null;
  const bounds = [0, ...cuts, stream.length];
  for (let i = 0; i + 1 < bounds.length && error === null; i++) error = s.push(stream.subarray(bounds[i], bounds[i + 1]), (f) => frames.push(f));
  return { frames, error };
}

describe('FrameSplitter', () => {
  const stream = framed('first request', '', 'x'.repeat(300), 'last');
  const expected = ['first request', '', 'x'.repeat(300), 'last'];

  it('returns the same frames however the stream is cut (size prefixes split too)', () => {
    expect(split(stream, []).frames.map(String)).toEqual(expected);
    const oneByOne = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    expect(split(stream, oneByOne).frames.map(String)).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut += 7) expect(split(stream, [cut, Math.min(cut + 3, stream.length)]).frames.map(String)).toEqual(expected);
  });

  it('views a frame that lies inside one chunk and gives an assembled frame a buffer of its own', () => {
    const whole = split(stream, []).frames[2];
    expect(whole.buffer).toBe(stream.buffer); // a view: no copy
    const assembled = split(stream, [30]).frames[2]; // the 300-byte frame starts at 26 and is cut at 30
    expect(assembled.buffer).not.toBe(stream.buffer);
    expect(assembled.byteOffset).toBe(0);
    expect(assembled.buffer.byteLength).toBe(300); // exactly the frame: keeping it pins nothing else
  });

  it('rejects a size prefix outside 0..max', () => {
    const bad = Buffer.alloc(8);
    bad.writeInt32BE(1001);
    expect(split(bad, [2]).error).toBe('request size 1001 outside 0..1000');
    bad.writeInt32BE(-1);
    expect(split(bad, []).error).toBe('request size -1 outside 0..1000');
  });
});

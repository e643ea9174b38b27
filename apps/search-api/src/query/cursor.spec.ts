import { CursorCodec, CursorError } from './cursor';

describe('CursorCodec', () => {
  const codec = new CursorCodec('k'.repeat(32));
  const state = { sort: 'recent' as const, after: [1_700_000_000_123, '550e8400-e29b-41d4-a716-446655440000'] as [number, string] };

  it('round-trips a cursor for the same query', () => {
    const c = codec.encode(state, 'q=a');
    expect(codec.decode(c, 'q=a')).toEqual({ ...state, backend: undefined });
    expect(c).not.toContain('550e8400'); // opaque: base64url, not readable at a glance
  });

  it('rejects any modified byte, another key, another query, and garbage', () => {
    const c = codec.encode(state, 'q=a');
    for (let i = 0; i < c.length; i++) {
      const flipped = c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
      if (flipped !== c) expect(() => codec.decode(flipped, 'q=a')).toThrow(CursorError);
    }
    expect(() => new CursorCodec('x'.repeat(32)).decode(c, 'q=a')).toThrow(/modified/);
    expect(() => codec.decode(c, 'q=b')).toThrow(/different query/);
    for (const bad of ['', '.', 'abc', 'a.b.c', '%%%.%%%', 'x'.repeat(600), `${'x'.repeat(3000)}.x`]) expect(() => codec.decode(bad, 'q=a')).toThrow(CursorError);
  });

  it('carries an Elasticsearch point in time and its tiebreaker, only on relevance cursors of Elasticsearch', () => {
    const pit = 'p'.repeat(400); // Elasticsearch's ids are a few hundred characters
    const withPit = { sort: 'relevance' as const, backend: 'elasticsearch' as const, after: [1.5, 'id-1', 4_294_967_301] as [number, string, number], pit };
    expect(codec.decode(codec.encode(withPit, 'q=a'), 'q=a')).toEqual(withPit);
    // Well signed but inconsistent: a tiebreaker without a point in time, a point in time on another sort or backend.
    const forged = [
      { ...withPit, pit: undefined },
      { ...withPit, sort: 'recent' as const },
      { ...withPit, backend: 'postgres' as const },
      { ...withPit, pit: 'p'.repeat(1100) },
    ];
    for (const state of forged) expect(() => codec.decode(codec.encode(state, 'q=a'), 'q=a')).toThrow(CursorError);
  });
});

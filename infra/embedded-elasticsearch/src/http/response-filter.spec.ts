import { ResponseFilter, globMatch } from './response-filter';

/** The body as it would be serialised after `filter_path=<filter>`. */
function filtered(body: unknown, filter: string): unknown {
  const f = ResponseFilter.parse(filter);
  return JSON.parse(JSON.stringify(f ? f.apply(body) : body));
}

const SAMPLE = {
  a: 0,
  b: true,
  c: 'c_value',
  d: [0, 1, 2],
  e: [{ f1: 'f1_value', f2: 'f2_value' }, { g1: 'g1_value', g2: 'g2_value' }],
  h: { i: { j: { k: { l: 'l_value' } } } },
};
const WITHOUT = (...keys: string[]) => Object.fromEntries(Object.entries(SAMPLE).filter(([k]) => !keys.includes(k)));

describe('globMatch', () => {
  it.each([
    ['*', '', true], ['*', 'abc', true], ['a*', 'abc', true], ['*c', 'abc', true], ['a*c', 'abc', true],
    ['a*c', 'ac', true], ['a*b*c', 'abc', true], ['a*b*c', 'axbxc', true], ['a*b*c', 'acb', false],
    ['**', 'x', true], ['ab*ab', 'ab', false], ['abc', 'abc', true], ['abc', 'abd', false], ['*x*', 'abc', false],
  ])('%s ~ %s = %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});

describe('ResponseFilter.parse', () => {
  it('gives no filter when the parameter holds no path (empty, commas, blanks)', () => {
    expect(ResponseFilter.parse('')).toBeUndefined();
    expect(ResponseFilter.parse(' , ,')).toBeUndefined();
  });

  it('trims each path and ignores empty ones', () => {
    expect(filtered(SAMPLE, ' a , ,b ')).toEqual({ a: 0, b: true });
  });
});

describe('inclusive filters', () => {
  it.each([
    ['a', { a: 0 }], ['b', { b: true }], ['c', { c: 'c_value' }], ['d', { d: [0, 1, 2] }], ['e', { e: SAMPLE.e }],
    ['h', { h: SAMPLE.h }], ['h.i.j.k.l', { h: SAMPLE.h }], ['h.*', { h: SAMPLE.h }], ['*.i', { h: SAMPLE.h }],
    ['h.*.j.*.l', { h: SAMPLE.h }], ['h.i.j.k.*', { h: SAMPLE.h }],
  ])('%s', (filter, expected) => {
    expect(filtered(SAMPLE, filter)).toEqual(expected);
  });

  it('a filter that matches nothing gives {}', () => {
    expect(filtered(SAMPLE, 'z')).toEqual({});
    expect(filtered(SAMPLE, 'h.x')).toEqual({});
    expect(filtered({}, 'a')).toEqual({});
  });

  it('applies through arrays to their elements; elements with nothing matching are left out', () => {
    expect(filtered(SAMPLE, 'e.f1')).toEqual({ e: [{ f1: 'f1_value' }] });
    expect(filtered(SAMPLE, 'e.f*')).toEqual({ e: [{ f1: 'f1_value', f2: 'f2_value' }] });
    expect(filtered(SAMPLE, 'e.*2')).toEqual({ e: [{ f2: 'f2_value' }, { g2: 'g2_value' }] });
    expect(filtered({ a: [[{ x: 1 }, { y: 2 }], [{ y: 3 }]] }, 'a.x')).toEqual({ a: [[{ x: 1 }]] });
  });

  it('drops scalars part-way along a path, and arrays and objects left empty', () => {
    expect(filtered(SAMPLE, 'd.x')).toEqual({});
    expect(filtered(SAMPLE, 'a.x')).toEqual({});
    expect(filtered({ a: { x: null, y: 1 } }, 'a.x')).toEqual({ a: { x: null } });
    expect(filtered({ a: [1, { x: 2 }, null, 'x'] }, 'a.x')).toEqual({ a: [{ x: 2 }] });
    // An object or array part-way along a path is written only if something inside is, even if empty to begin with.
    expect(filtered({ foo: {} }, 'foo.bar')).toEqual({});
    expect(filtered({ foo: [] }, 'foo.bar')).toEqual({});
    // A matched empty object or array is kept as it is.
    expect(filtered({ foo: {}, bar: [] }, 'foo,bar')).toEqual({ foo: {}, bar: [] });
  });

  it('* matches a whole field name or part of it, at one level', () => {
    expect(filtered(SAMPLE, '*')).toEqual(SAMPLE);
    expect(filtered({ nodes: { n1: { host: 'h', hostname: 'x', ip: 'i' }, n2: { host: 'g' } } }, 'nodes.*.ho*'))
      .toEqual({ nodes: { n1: { host: 'h', hostname: 'x' }, n2: { host: 'g' } } });
  });

  it('** matches any number of levels (one or more: a top-level field is not reached by **.name)', () => {
    expect(filtered(SAMPLE, '**')).toEqual(SAMPLE);
    expect(filtered(SAMPLE, '**.l')).toEqual({ h: SAMPLE.h });
    expect(filtered(SAMPLE, '**.*2')).toEqual({ e: [{ f2: 'f2_value' }, { g2: 'g2_value' }] });
    expect(filtered({ name: 'top', a: { name: 'n1', b: { name: 'n2', c: 1 } } }, '**.name'))
      .toEqual({ a: { name: 'n1', b: { name: 'n2' } } });
    expect(filtered({ a: { x: { state: 1, y: { state: 2 } } }, state: 0 }, 'a.**.state'))
      .toEqual({ a: { x: { state: 1, y: { state: 2 } } } });
    // a.** keeps everything inside a, but not a scalar a.
    expect(filtered({ a: 1, b: { c: 2 } }, 'a.**,b.**')).toEqual({ b: { c: 2 } });
  });

  it('combines several paths; a shorter path wins over a longer one through it', () => {
    expect(filtered(SAMPLE, 'a,b,c,d,e.f1,e.f2,e.g1,e.g2,h.i.j.k.l')).toEqual(SAMPLE);
    expect(filtered(SAMPLE, 'h.i.j.k.l,h.i.j.k.l.m')).toEqual({ h: SAMPLE.h });
    expect(filtered({ a: { b: 1, c: 2 } }, 'a.b,a')).toEqual({ a: { b: 1, c: 2 } });
    expect(filtered({ a: { b: 1, c: 2 } }, 'a,a.b')).toEqual({ a: { b: 1, c: 2 } });
  });

  it('keeps the response\'s field order, not the filter\'s, and never matches inherited properties', () => {
    expect(JSON.stringify(filtered({ a: 1, b: 2, c: 3 }, 'c,a'))).toBe('{"a":1,"c":3}');
    expect(JSON.stringify(filtered({ x: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } }, 'x.f,x.e,x.d,x.c,x.b,x.a')))
      .toBe('{"x":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}}');
    expect(filtered({ x: { a: 1 } }, 'x.toString,x.constructor,x.__proto__')).toEqual({});
    expect(filtered({ x: { a: undefined, b: 1 } }, 'x.a')).toEqual({});
  });

  it('\\. is a literal dot in a field name', () => {
    const body = { a: 0, 'b.c': 'value', b: { c: 'c_value' } };
    expect(filtered(body, 'b.c')).toEqual({ b: { c: 'c_value' } });
    expect(filtered(body, 'b\\.c')).toEqual({ 'b.c': 'value' });
  });
});

describe('exclusive filters', () => {
  it.each([
    ['-a', WITHOUT('a')], ['-d', WITHOUT('d')], ['-e', WITHOUT('e')], ['-h', WITHOUT('h')], ['-z', SAMPLE],
    ['-h.i.j.k.l', WITHOUT('h')], ['-h.*', WITHOUT('h')], ['-*.i', WITHOUT('h')], ['-**.l', WITHOUT('h')],
  ])('%s', (filter, expected) => {
    expect(filtered(SAMPLE, filter)).toEqual(expected);
  });

  it('removes matched fields inside array elements and drops elements left empty', () => {
    expect(filtered(SAMPLE, '-e.f1')).toEqual({ ...SAMPLE, e: [{ f2: 'f2_value' }, { g1: 'g1_value', g2: 'g2_value' }] });
    expect(filtered(SAMPLE, '-e.f*')).toEqual({ ...SAMPLE, e: [{ g1: 'g1_value', g2: 'g2_value' }] });
    expect(filtered(SAMPLE, '-e.*2')).toEqual({ ...SAMPLE, e: [{ f1: 'f1_value' }, { g1: 'g1_value' }] });
    expect(filtered(SAMPLE, '-**.*2')).toEqual({ ...SAMPLE, e: [{ f1: 'f1_value' }, { g1: 'g1_value' }] });
    expect(filtered(SAMPLE, '-e.*')).toEqual(WITHOUT('e'));
  });

  it('keeps scalars part-way along a path and untouched empty objects', () => {
    expect(filtered(SAMPLE, '-d.x,-a.x')).toEqual(SAMPLE);
    expect(filtered({ foo: {} }, '-bar')).toEqual({ foo: {} });
    expect(filtered({ foo: { bar: 1 } }, '-foo.bar')).toEqual({});
    expect(filtered({ foo: {} }, '-foo')).toEqual({});
  });

  it('excluding everything gives {}', () => {
    expect(filtered(SAMPLE, '-*')).toEqual({});
    expect(filtered(SAMPLE, '-**')).toEqual({});
    expect(filtered(SAMPLE, '-a,-b,-c,-d,-e.f1,-e.f2,-e.g1,-e.g2,-h.i.j.k.l')).toEqual({});
  });

  it('a lone - excludes nothing', () => {
    expect(filtered(SAMPLE, '-')).toEqual(SAMPLE);
  });
});

describe('inclusive and exclusive combined', () => {
  it('applies the exclusions to what the inclusions kept', () => {
    expect(filtered({ pages: 456, price: 27.99, properties: { x: 1 }, title: 't' }, 'p*,-properties'))
      .toEqual({ pages: 456, price: 27.99 });
    expect(filtered({ tags: ['a'], authors: [{ name: 'n', lastname: 'l' }], title: 't' }, 'tags,authors,-authors.name'))
      .toEqual({ tags: ['a'], authors: [{ lastname: 'l' }] });
    expect(filtered({ foo: {} }, 'f*,-baz')).toEqual({ foo: {} });
    expect(filtered({ foo: {} }, 'f*,-foo')).toEqual({});
    expect(filtered({ a: { distributors: [1] }, b: { distributors: 2 } }, '**.distributors,-**.distributors')).toEqual({});
    expect(filtered({ foo: { bar: 'test' } }, 'foo,-foo.baz')).toEqual({ foo: { bar: 'test' } });
    expect(filtered({ foo: { bar: 'test' } }, 'foo,-foo.b*')).toEqual({});
  });
});

describe('bulk responses (the indexer worker uses items.*.status,items.*.error)', () => {
  const item = (status: number, error?: object) => ({
    index: {
      _index: 'messages_v1', _id: 'x', _version: 3, result: error ? undefined : 'created',
      _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 7, _primary_term: 1, status, ...(error ? { error } : {}),
    },
  });
  const conflict = { type: 'version_conflict_engine_exception', reason: 'r', index: 'messages_v1' };
  const body = { errors: true, took: 3, items: [item(201), item(409, conflict), { delete: { _id: 'y', status: 404, result: 'not_found' } }] };

  it('keeps each item in order with only its status and error', () => {
    expect(filtered(body, 'items.*.status,items.*.error')).toEqual({
      items: [{ index: { status: 201 } }, { index: { status: 409, error: conflict } }, { delete: { status: 404 } }],
    });
  });

  it('keeps errors and took only when asked (as Logstash asks: errors,items.*.error,items.*.status)', () => {
    expect(filtered(body, 'errors,items.*.error,items.*.status')).toMatchObject({ errors: true });
    expect(filtered(body, 'errors,items.*.error,items.*.status')).not.toHaveProperty('took');
  });

  it('items.*.error alone gives only the failed items', () => {
    expect(filtered(body, 'items.*.error')).toEqual({ items: [{ index: { error: conflict } }] });
  });

  it('leaves the body it filters unchanged', () => {
    const before = JSON.stringify(body);
    filtered(body, 'items.*.status,-items.*._id');
    expect(JSON.stringify(body)).toBe(before);
  });
});

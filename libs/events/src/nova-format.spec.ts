import fc from 'fast-check';
import { novaEventSchema } from './envelope.schema';
import { compiledNovaEventSchema } from './nova-format';
import { fixture } from './test-support';

const FIXTURES = ['nova-message-persisted.json', 'nova-message-deleted.json', 'nova-post-persisted.json', 'nova-post-deleted.json'].map(fixture);
const TOP_KEYS = [...new Set(FIXTURES.flatMap((f) => Object.keys(f)))].concat(['extra', '__proto__x']);
const SOURCE_KEYS = Object.keys(FIXTURES[0].source as object).concat(['extra']);

/** Values that are valid for some field, nearly valid, or of the wrong kind. */
const candidate = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    0,
    1,
    2,
    -1,
    1.5,
    2 ** 53,
    Number.NaN,
    true,
    false,
    '',
    'x',
    [],
    {},
    '7D0C2A8E-3B1F-4C55-9A0E-2F6D8B1C4E01',
    '7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e0',
    '7d0c2a8e3b1f4c559a0e2f6d8b1c4e01',
    ' 7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01',
    '2026-11-26T03:00:00Z',
    '2026-11-26T03:00:00.123456+05:30',
    '2026-11-26T03:00:00',
    '2026-11-26 03:00:00Z',
    '2026-11-26T24:00:00Z',
    '2026-11-26T03:00Z',
    '0/1A2B3D00',
    'FFFFFFFF/FFFFFFFF',
    '1/2/3',
    '0x1/2',
    'message_persisted',
    'message_deleted',
    'post_persisted',
    'post_deleted',
    'public',
    'followers',
    'private',
    'Public',
    'messages',
  ),
  fc.string(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.integer(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const edit = fc.record({
  top: fc.boolean(),
  key: fc.constantFrom(...TOP_KEYS),
  sourceKey: fc.constantFrom(...SOURCE_KEYS),
  value: candidate,
  remove: fc.boolean(),
});

type Edit = { top: boolean; key: string; sourceKey: string; value: unknown; remove: boolean };

function apply(base: Record<string, unknown>, edits: Edit[]) {
  const value: Record<string, unknown> = structuredClone(base);
  for (const e of edits) {
    const target = e.top || typeof value.source !== 'object' || value.source === null ? value : (value.source as Record<string, unknown>);
    const key = e.top ? e.key : e.sourceKey;
    if (e.remove) delete target[key];
    else target[key] = e.value;
  }
  return value;
}

describe('the compiled envelope schema', () => {
  it('accepts, rejects and reports exactly as the runtime schema does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), fc.array(edit, { maxLength: 3 }), (base, edits) => {
        const input = apply(base, edits);
        const fast = compiledNovaEventSchema.safeParse(input);
        const slow = novaEventSchema.safeParse(input);
        expect(fast.success).toBe(slow.success);
        if (fast.success && slow.success) expect(fast.data).toStrictEqual(slow.data);
        else expect(fast.error?.issues).toStrictEqual(slow.error?.issues);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps only the schema keys and lower-cases ids, as the runtime schema does', () => {
    const input = { ...FIXTURES[0], message_id: '7D0C2A8E-3B1F-4C55-9A0E-2F6D8B1C4E01', extra: 1 };
    const fast = compiledNovaEventSchema.parse(input);
    expect(fast).toStrictEqual(novaEventSchema.parse(input));
    expect(fast).not.toHaveProperty('extra');
    expect((fast as { message_id: string }).message_id).toBe('7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01');
  });
});

import fc from 'fast-check';
import { Cluster } from './cluster';
import type { IndexStore } from './index-store';

/** Which index an alias writes to, as Elasticsearch decides it (the reference: the rule written with arrays). */
function reference(members: Map<string, boolean | undefined>): string | undefined {
  const explicit = [...members].filter(([, w]) => w === true).map(([m]) => m);
  return explicit.length === 1 ? explicit[0] : members.size === 1 && [...members.values()][0] !== false ? [...members.keys()][0] : undefined;
}

describe('write index of an alias', () => {
  it('is the one member marked is_write_index, else the only member unless marked false; otherwise an error', () => {
    const cluster = new Cluster();
    const names = ['a', 'b', 'c', 'd'];
    for (const n of names) cluster.indices.set(n, { name: n } as unknown as IndexStore);
    const flag = fc.constantFrom<boolean | undefined>(true, false, undefined);
    fc.assert(fc.property(fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }), fc.array(flag, { minLength: 4, maxLength: 4 }), (members, flags) => {
      const map = new Map(members.map((m, i) => [m, flags[i]] as const));
      cluster.aliases.set('alias', map);
      const expected = reference(map);
      if (expected === undefined) expect(() => cluster.writeIndex('alias')).toThrow(/no write index is defined for alias \[alias\]/);
      else expect(cluster.writeIndex('alias')?.name).toBe(expected);
    }), { numRuns: 500 });
    expect(cluster.writeIndex('a')?.name).toBe('a');
    expect(cluster.writeIndex('missing')).toBeUndefined();
  });
});

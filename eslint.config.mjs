import nx from '@nx/eslint-plugin';

// Two tag axes. `type:*` says what a project is and therefore what it may lean on;
// `scope:*` says which deployable it belongs to. Apps never import apps; libs never import apps;
// adapters lean on domain and util only; stand-ins (type:testing) are for tests and tools only.
const typeConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:util'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:domain', 'type:adapter', 'type:util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:testing', 'type:domain', 'type:adapter', 'type:util'] },
];
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:producer', onlyDependOnLibsWithTags: ['scope:producer', 'scope:shared'] },
  { sourceTag: 'scope:indexer', onlyDependOnLibsWithTags: ['scope:indexer', 'scope:shared'] },
  { sourceTag: 'scope:search', onlyDependOnLibsWithTags: ['scope:search', 'scope:shared'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:infra', 'scope:shared'] },
];
const boundaries = (extraTypes, extraScopes) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      ...typeConstraints.map((c) =>
        c.sourceTag === 'type:app' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...extraTypes] } : c,
      ),
      ...scopeConstraints.map((c) =>
        c.sourceTag === 'scope:shared' ? c : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...extraScopes] },
      ),
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([], []),
      'no-console': 'error',
      // `map.get(k)!` after a `has`/size check is common in the stand-ins' hot paths; strict null checks stay on.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and benchmarks may start the embedded stand-ins (scope:infra, type:testing); production code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', 'tools/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['type:testing'], ['scope:infra']),
      'no-console': 'off',
    },
  },
  {
    files: ['tools/**/*.ts', 'infra/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];

import nx from '@nx/eslint-plugin';

const sdk = ['@aws-sdk/*', '@smithy/*', 'aws-sdk'];

// Two axes. type: what a project is allowed to depend on; scope: which service it belongs to.
const typeConstraints = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: sdk },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: sdk },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing', 'type:app'],
  },
];
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:shared', 'scope:intake'] },
  { sourceTag: 'scope:iam-lockdown', onlyDependOnLibsWithTags: ['scope:shared', 'scope:iam-lockdown'] },
  { sourceTag: 'scope:lambda-lockdown', onlyDependOnLibsWithTags: ['scope:shared', 'scope:lambda-lockdown'] },
  { sourceTag: 'scope:ec2-isolation', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ec2-isolation'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared', 'scope:infra'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
];

// Tests of apps and adapters may also use the simulated member account and local harnesses.
const testTypeConstraints = typeConstraints.map((c) =>
  c.sourceTag === 'type:app' || c.sourceTag === 'type:adapter'
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);

const boundaries = (types, allow = []) => [
  'error',
  { enforceBuildableLibDependency: true, allow, depConstraints: [...types, ...scopeConstraints] },
];

// The lockdown CLI runs the unmodified handlers (the drill) and the services' own plan code
// (`lockdown plan`), through each app's index: the one place an app may be imported.
const APP_ENTRY_POINTS = ['@lockdown/intake', '@lockdown/iam-lockdown', '@lockdown/lambda-lockdown', '@lockdown/ec2-isolation'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/cdk.out', '**/node_modules', '**/.nx', '**/coverage', '**/tmp'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(typeConstraints),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess, `array[i]!` after a bounds-checked lookup is the clear way.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts', '**/test/**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': boundaries(testTypeConstraints) },
  },
  {
    files: ['tools/cli/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(testTypeConstraints, APP_ENTRY_POINTS) },
  },
  {
    // A service's domain is pure: observed state in, plan out. AWS calls live in its adapters.
    files: ['apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: sdk, message: 'domain code is pure: call AWS from adapters/' },
            { group: ['**/adapters/**'], message: 'domain code does not depend on adapters' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the simulated member account assert on shapes they built themselves.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'libs/sandbox/**/*.ts', 'tools/cli/src/drill/event-sources.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

import nx from '@nx/eslint-plugin';
import { readFileSync, readdirSync } from 'node:fs';

// The apps, from their project.json: a new service needs no line here.
const apps = readdirSync(new URL('./apps', import.meta.url)).map((dir) => ({
  dir,
  ...JSON.parse(readFileSync(new URL(`./apps/${dir}/project.json`, import.meta.url), 'utf8')),
}));
const serviceScopes = apps.flatMap(({ tags }) => tags.filter((tag) => tag.startsWith('scope:')));

const sdk = ['@aws-sdk/*', '@smithy/*', 'aws-sdk'];

// Two axes. type: what a project is allowed to depend on; scope: which service it belongs to.
const typeConstraints = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: sdk },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing'] },
  // The drill and the bench run the product end to end (its handlers, its CLI's output) on the simulated AWS.
  {
    sourceTag: 'type:harness',
    onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing', 'type:app', 'type:registry', 'type:tool', 'type:harness'],
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:core', 'type:registry'], bannedExternalImports: sdk },
  // The registry of service descriptors reads each app's descriptor (pure data) and nothing else of it.
  { sourceTag: 'type:registry', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'], bannedExternalImports: sdk },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:app', 'type:registry'],
  },
];
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...serviceScopes.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: ['scope:shared', scope] })),
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry', ...serviceScopes] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared', 'scope:infra', 'scope:registry'] },
  {
    sourceTag: 'scope:tools',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry', 'scope:infra', 'scope:tools', ...serviceScopes],
  },
  // The proving ground (testing/: the simulated AWS, the drill, the bench) may use everything; nothing
  // of the product depends on it, so nothing of it ships.
  { sourceTag: 'scope:proving', onlyDependOnLibsWithTags: ['*'] },
];

// Tests of apps, adapters and tools may also use the simulated AWS (the proving ground's type:testing
// project, @lockdown/sandbox), and nothing else of the proving ground (the drill and the bench are type:harness).
const testTypeConstraints = typeConstraints.map((c) =>
  c.sourceTag === 'type:app' || c.sourceTag === 'type:adapter' || c.sourceTag === 'type:tool'
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);
const testScopeConstraints = scopeConstraints.map((c) =>
  c.onlyDependOnLibsWithTags.includes('*') ? c : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:proving'] },
);

const productConstraints = [...typeConstraints, ...scopeConstraints];
const testConstraints = [...testTypeConstraints, ...testScopeConstraints];

const boundaries = (depConstraints, allow = []) => ['error', { enforceBuildableLibDependency: true, allow, depConstraints }];

// The drill and the bench run the unmodified handlers (so does the CLI's report test), through each
// app's index: the one place an app may be imported.
const APP_ENTRY_POINTS = apps.map(({ name }) => `@lockdown/${name}`);
// The drill and the bench print and draw with the operator CLI's parts (its index), the bench runs the drill's campaigns.
const PROVING_ENTRY_POINTS = [...APP_ENTRY_POINTS, '@lockdown/cli', '@lockdown/drill'];
// The registry imports each app's descriptor, and only that file.
const DESCRIPTORS = apps.map(({ name }) => `@lockdown/${name}/descriptor`);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/cdk.out', '**/node_modules', '**/.nx', '**/coverage', '**/tmp'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(productConstraints),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess, `array[i]!` after a bounds-checked lookup is the clear way.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts', '**/test/**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': boundaries(testConstraints) },
  },
  {
    files: ['libs/services/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(productConstraints, DESCRIPTORS) },
  },
  {
    files: ['tools/cli/**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(testConstraints, APP_ENTRY_POINTS) },
  },
  {
    files: ['testing/drill/**/*.ts', 'testing/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(productConstraints, PROVING_ENTRY_POINTS) },
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
    // A plan builds each step through its kind's declaration, so a misspelt kind or parameter is a type error.
    files: ['apps/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ObjectExpression:has(> Property[key.name='kind']):has(> Property[key.name='params'])",
          message: "a step literal: build it with its kind's declaration, kinds.<kind>.step(fields, params)",
        },
      ],
    },
  },
  {
    // Tests and the simulated member account assert on shapes they built themselves.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'testing/sandbox/**/*.ts', 'testing/drill/src/event-sources.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

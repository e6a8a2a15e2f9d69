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
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:core', 'type:registry'], bannedExternalImports: sdk },
  // The registry of service descriptors reads each app's descriptor (pure data) and nothing else of it.
  { sourceTag: 'type:registry', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'], bannedExternalImports: sdk },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing', 'type:app', 'type:registry'],
  },
];
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...serviceScopes.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: ['scope:shared', scope] })),
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry', ...serviceScopes] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared', 'scope:infra', 'scope:registry'] },
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
const APP_ENTRY_POINTS = apps.map(({ name }) => `@lockdown/${name}`);
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
    files: ['libs/services/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(typeConstraints, DESCRIPTORS) },
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
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'libs/sandbox/**/*.ts', 'tools/cli/src/drill/event-sources.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

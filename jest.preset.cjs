// Shared jest settings: ts-jest transpiles only (types are checked by each project's
// `typecheck` target) to CommonJS (each tsconfig.spec.json: `import()` becomes `require`),
// Node environment, tsconfig paths resolved by Nx's resolver.
const { nxPreset } = require('@nx/jest/preset');

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(spec|test).ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
  },
  // Lazily imported modules are named with `.js` (Node16 resolution); jest finds their `.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  coverageReporters: ['text-summary'],
  maxWorkers: 1,
  setupFiles: [require('node:path').join(__dirname, 'jest.setup.cjs')],
};

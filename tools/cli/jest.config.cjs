module.exports = {
  displayName: 'cli',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 120000,
  globalSetup: '<rootDir>/../../testing/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../testing/sandbox/emulators/fauxqs-global-teardown.mjs',
};

module.exports = {
  displayName: 'cli',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 120000,
  globalSetup: '<rootDir>/../../libs/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../libs/sandbox/emulators/fauxqs-global-teardown.mjs',
};

module.exports = {
  displayName: 'drill',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 120000,
  globalSetup: '<rootDir>/../sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../sandbox/emulators/fauxqs-global-teardown.mjs',
};

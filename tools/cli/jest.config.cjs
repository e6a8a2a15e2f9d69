module.exports = {
  displayName: 'cli',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testTimeout: 120000,
  globalSetup: '<rootDir>/../../proving-ground/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../proving-ground/sandbox/emulators/fauxqs-global-teardown.mjs',
};

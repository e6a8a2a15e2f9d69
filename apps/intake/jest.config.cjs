module.exports = {
  displayName: 'intake',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  globalSetup: '<rootDir>/../../testing/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../testing/sandbox/emulators/fauxqs-global-teardown.mjs',
};

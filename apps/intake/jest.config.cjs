module.exports = {
  displayName: 'intake',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  globalSetup: '<rootDir>/../../libs/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../libs/sandbox/emulators/fauxqs-global-teardown.mjs',
};

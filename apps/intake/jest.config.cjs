module.exports = {
  displayName: 'intake',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  globalSetup: '<rootDir>/../../proving-ground/sandbox/emulators/fauxqs-global-setup.mjs',
  globalTeardown: '<rootDir>/../../proving-ground/sandbox/emulators/fauxqs-global-teardown.mjs',
};

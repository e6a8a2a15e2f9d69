module.exports = {
  displayName: 'identity-center-lockdown',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

module.exports = {
  displayName: 'lambda-lockdown',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

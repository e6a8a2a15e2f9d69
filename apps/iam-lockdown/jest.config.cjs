module.exports = {
  displayName: 'iam-lockdown',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

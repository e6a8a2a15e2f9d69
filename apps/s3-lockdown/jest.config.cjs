module.exports = {
  displayName: 's3-lockdown',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

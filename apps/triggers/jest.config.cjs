module.exports = {
  displayName: 'triggers',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

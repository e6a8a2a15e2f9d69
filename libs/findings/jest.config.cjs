module.exports = {
  displayName: 'findings',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

module.exports = {
  displayName: 'sweep',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

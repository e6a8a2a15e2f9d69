module.exports = {
  displayName: 'generators',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

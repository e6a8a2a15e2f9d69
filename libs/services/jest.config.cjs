module.exports = {
  displayName: 'services',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

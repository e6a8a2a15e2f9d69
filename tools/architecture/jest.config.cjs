module.exports = {
  displayName: 'architecture',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

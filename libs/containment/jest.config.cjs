module.exports = {
  displayName: 'containment',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

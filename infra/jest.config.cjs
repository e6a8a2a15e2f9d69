module.exports = {
  displayName: 'infra',
  preset: '../jest.preset.cjs',
  rootDir: __dirname,
};

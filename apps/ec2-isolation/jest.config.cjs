module.exports = {
  displayName: 'ec2-isolation',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};

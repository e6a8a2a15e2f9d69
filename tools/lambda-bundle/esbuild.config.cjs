// esbuild options for every Lambda bundle (referenced by the Nx esbuild target defaults).
const { join } = require('node:path');
const { plugin } = require('./inline-schema-keys.cjs');

module.exports = {
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  // Each dynamic `import()` becomes a chunk beside main.mjs, loaded only when called (e.g.
  // ec2-isolation's option clients); Nx then names the entry after main.ts.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  mainFields: ['module', 'main'],
  // Some dependencies still call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __lockdownCreateRequire } from 'node:module'; const require = __lockdownCreateRequire(import.meta.url);",
  },
  alias: { '@aws-sdk/credential-provider-node': join(__dirname, 'credentials-from-env.mjs') },
  plugins: [plugin],
};

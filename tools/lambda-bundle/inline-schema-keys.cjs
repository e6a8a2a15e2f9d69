// esbuild plugin for the Lambda bundles.
//
// AWS SDK v3 clients describe their shapes in one large `schemas_0.js` per client, written as
// `[..., { [_xN]: _TSa }]`: object literals with *computed* keys that name module constants.
// esbuild must assume a computed key can run code, so it keeps every shape of the service
// (about 550 KB for EC2) even when one command is used. Replacing each `[_name]:` by the string
// constant it names keeps the code identical in meaning and lets esbuild drop the unused shapes.
const { readFile } = require('node:fs/promises');

const SCHEMA_FILE = /[\\/]@aws-sdk[\\/][\w-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const CONSTANT = /^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm;

function inlineSchemaKeys(source) {
  const constants = new Map();
  for (const [, name, literal] of source.matchAll(CONSTANT)) constants.set(name, literal);
  return source.replace(/\[(_\w+)\]:/g, (whole, name) => (constants.has(name) ? `${constants.get(name)}:` : whole));
}

const plugin = {
  name: 'inline-sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, async (args) => ({
      contents: inlineSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

module.exports = { plugin, inlineSchemaKeys };

// Prints the minified size of every Lambda bundle built by `nx run-many -t build`.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', 'dist', 'apps');
if (!existsSync(root)) {
  console.error('no bundles: run `npx nx run-many -t build` first');
  process.exit(1);
}
const rows = readdirSync(root)
  .map((app) => ({ app, file: join(root, app, 'index.mjs') }))
  .filter(({ file }) => existsSync(file))
  .map(({ app, file }) => ({ function: app, bytes: statSync(file).size, kib: +(statSync(file).size / 1024).toFixed(1) }));
console.table(rows);

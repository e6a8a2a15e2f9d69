import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';

export const ROOT = join(__dirname, '..', '..', '..');
export const generator = require('./generator.cjs') as (tree: Tree, options: { name: string; entityType: string }) => Promise<unknown>;

// Jest cannot import prettier's ESM entry for Nx's formatFiles: the tests format with prettier's
// standalone build and the repository's settings instead (what `prettier --check` holds the real tree to).
process.env['NX_SKIP_FORMAT'] = 'true';
const COPIED = ['libs/services/src/registry.ts', 'libs/contracts/src/routing.ts', 'libs/contracts/src/entity.ts', 'tsconfig.base.json'];

/** A workspace with lockdown's own registry, routing table, entity schemas and path map. */
export function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of COPIED) tree.write(file, readFileSync(join(ROOT, file), 'utf8'));
  return tree;
}

/** Every file below `dir` of the tree, by its path relative to `dir`. */
export function filesBelow(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((child) => {
    const path = `${dir}/${child}`;
    return tree.isFile(path) ? [child] : filesBelow(tree, path).map((file) => `${child}/${file}`);
  });
}

/** A file as `prettier --write` leaves it (the repository's .prettierrc). */
export async function formatted(path: string, text: string): Promise<string> {
  const prettier = require('prettier/standalone') as typeof import('prettier');
  const plugins = ['babel', 'estree', 'typescript'].map((p) => require(`prettier/plugins/${p}`));
  const options = JSON.parse(readFileSync(join(ROOT, '.prettierrc.json'), 'utf8'));
  return prettier.format(text, { ...options, filepath: path, plugins });
}

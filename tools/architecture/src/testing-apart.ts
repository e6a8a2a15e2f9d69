import { relative, sep } from 'node:path';
import type { ImportGraph } from './import-graph';

/** What only tests, the drill and the bench use: the simulated AWS, the drill, the bench. Nothing in it ships. */
export const PROVING_GROUND = 'testing';

const isTest = (path: string) => /\.(spec|test)\.ts$/.test(path) || path.split(sep).includes('test');

/**
 * Each import of the proving ground by product code (any file of root outside it but tests), as
 * `importer -> imported`, relative to root: the list must stay empty.
 */
export function productImportsOfProvingGround(root: string, graph: ImportGraph): string[] {
  const inProvingGround = (path: string) => relative(root, path).split(sep)[0] === PROVING_GROUND;
  return [...graph]
    .filter(([file]) => !inProvingGround(file) && !isTest(relative(root, file)))
    .flatMap(([file, imports]) =>
      imports.filter(inProvingGround).map((imported) => `${relative(root, file)} -> ${relative(root, imported)}`),
    );
}

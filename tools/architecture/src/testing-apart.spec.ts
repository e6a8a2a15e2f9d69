import { join } from 'node:path';
import { importGraph, sourcesUnder, workspaceCompilerOptions } from './import-graph';
import { PROVING_GROUND, productImportsOfProvingGround } from './testing-apart';

const ROOT = join(__dirname, '..', '..', '..');
const options = workspaceCompilerOptions(ROOT);

describe('the proving ground (what only tests, the drill and the bench use)', () => {
  it('is imported by no product code: apps/, libs/, infra/ and tools/ reach it from their tests only', () => {
    const graph = importGraph(sourcesUnder(ROOT, ['apps', 'libs', 'infra', 'tools', PROVING_GROUND]), options);

    expect(productImportsOfProvingGround(ROOT, graph)).toEqual([]);
    // The tests do use it (the simulated AWS): the graph sees those imports, so it would see a product one.
    expect([...graph].some(([file, imports]) => file.endsWith('.spec.ts') && imports.some((i) => i.includes('/testing/')))).toBe(true);
  });

  it('names each product file that imports it, by its workspace path or a relative one, and lets tests and the proving ground itself', () => {
    const at = (path: string) => join(ROOT, path);
    const graph = importGraph(
      new Map([
        [at('testing/sandbox/src/index.ts'), "import { x } from '@lockdown/contracts';"],
        [at('testing/drill/src/run-drill.ts'), "import { SimulatedAws } from '@lockdown/sandbox';"],
        [at('libs/contracts/src/index.ts'), ''],
        [at('libs/aws/src/client.ts'), "import { SimulatedAws } from '@lockdown/sandbox';"],
        [at('tools/cli/src/main.ts'), "import { runDrill } from '../../../testing/drill/src/run-drill';"],
        [at('libs/aws/src/client.spec.ts'), "import { SimulatedAws } from '@lockdown/sandbox';"],
        [at('apps/intake/test/harness.ts'), "import { SimulatedAws } from '@lockdown/sandbox';"],
      ]),
      options,
    );

    expect(productImportsOfProvingGround(ROOT, graph)).toEqual([
      'libs/aws/src/client.ts -> testing/sandbox/src/index.ts',
      'tools/cli/src/main.ts -> testing/drill/src/run-drill.ts',
    ]);
  });
});

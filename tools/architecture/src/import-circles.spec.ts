import { join } from 'node:path';
import { describeCircle, importCircles, importGraph, sourcesUnder, workspaceCompilerOptions } from './import-graph';

const ROOT = join(__dirname, '..', '..', '..');
const options = workspaceCompilerOptions(ROOT);

/** Sources at made-up paths under /x, for the finder's own cases. */
const sources = (files: Record<string, string>) => new Map(Object.entries(files).map(([path, text]) => [`/x/${path}`, text]));

describe('import circles', () => {
  it('none in the product code: apps/ and libs/', () => {
    const circles = importCircles(importGraph(sourcesUnder(ROOT, ['apps', 'libs']), options));

    expect(circles.map((circle) => describeCircle(ROOT, circle))).toEqual([]);
  });

  it('none in the simulated AWS (testing/sandbox, which every test uses)', () => {
    const circles = importCircles(importGraph(sourcesUnder(ROOT, ['testing/sandbox']), options));

    expect(circles.map((circle) => describeCircle(ROOT, circle))).toEqual([]);
  });

  it("none in the service the generator writes (its templates, with each template's names filled in)", () => {
    const templates = sourcesUnder(ROOT, ['tools/generators/service/files'], '.ts__tmpl__');
    const skeleton = new Map(
      [...templates].map(([path, text]) => [path.replace(/__tmpl__$/, ''), text.replaceAll(/<%= \w+ %>/g, 'Example')]),
    );

    expect(skeleton.size).toBeGreaterThan(5);
    expect(importCircles(importGraph(skeleton, options)).map((circle) => describeCircle(ROOT, circle))).toEqual([]);
  });

  it('finds each circle once (through a type-only import, a re-export or a dynamic import), as its shortest cycle', () => {
    const graph = importGraph(
      sources({
        'adapters/adapter.ts': "import { kind } from '../steps/kind';\nimport { other } from '../steps/other';",
        'steps/kind.ts': "import type { Context } from '../adapters/adapter';",
        'steps/other.ts': "import type { Context } from '../adapters/adapter';",
        'domain/plan.ts': "import { kind } from '../steps/kind';",
        'api/index.ts': "export * from './client';",
        'api/client.ts': "export const load = () => import('./index');",
        'self.ts': "import './self';",
      }),
      options,
    );

    expect(importCircles(graph)).toEqual([
      ['/x/adapters/adapter.ts', '/x/steps/kind.ts', '/x/adapters/adapter.ts'],
      ['/x/api/client.ts', '/x/api/index.ts', '/x/api/client.ts'],
      ['/x/self.ts', '/x/self.ts'],
    ]);
  });

  it('resolves the workspace paths (@lockdown/...) and ignores packages', () => {
    const graph = importGraph(
      new Map([
        [join(ROOT, 'libs/containment/src/index.ts'), "import '@lockdown/aws';\nimport 'zod/mini';"],
        [join(ROOT, 'libs/aws/src/index.ts'), "import { x } from '@lockdown/containment';"],
      ]),
      options,
    );

    expect(importCircles(graph).map((circle) => describeCircle(ROOT, circle))).toEqual([
      'libs/aws/src/index.ts -> libs/containment/src/index.ts -> libs/aws/src/index.ts',
    ]);
  });
});

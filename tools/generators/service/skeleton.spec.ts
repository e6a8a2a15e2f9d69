import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, ServiceName, entityTypesOf } from '@lockdown/contracts';
import { ROOT, filesBelow, formatted, generator, workspace } from './test-workspace';

/**
 * The files the generator writes as a start that the service's author then fills in, each with what
 * the author writes there. Every other file it writes is the template's alone: a service's copy is
 * the generated one, and a change to either goes to both.
 */
const FILLED_IN: Record<string, string> = {
  'src/handler.ts': 'the SDK clients and settings the use case is given',
  'src/use-case.ts': 'its dependencies and the plan options it passes',
  'src/runtime.ts': "the example plan's starting state",
  'src/index.ts': 'its plan function, named for what it contains',
  'src/domain/observed.ts': 'what it reads of its entity',
  'src/domain/plan.ts': 'the plan',
  'src/domain/plan.spec.ts': "the plan's table of cases",
  'src/domain/step-kinds.ts': 'its step kinds',
  'src/steps/context.ts': 'the SDK clients its steps act with',
  'src/adapters/containment.ts': "observe and the kinds' implementations, in an adapter named for its entity (s3-containment.ts)",
};

/**
 * Files the author fills in around a frame the template owns: the lines of these slots are the
 * author's; every other generated line must stand in the service's file, in the same order.
 */
const FRAMED: Record<string, RegExp> = {
  // Its settings: the fields of the object and the zod functions they use.
  'src/settings.ts': /^(import .* from 'zod\/mini';| {2}settings: object\(\{\}\),)$/,
  // Its summary, batch and concurrency, observe calls and member statements, each with its comment.
  'src/descriptor.ts': /^ {2}(summary|concurrency|observe|memberStatements|\/\/ )/,
};

/** The first line of the frame that does not stand in `lines` after the ones before it (undefined: all do). */
function missingFrameLine(frame: string[], lines: string[]): string | undefined {
  let at = 0;
  for (const line of lines) if (line === frame[at]) at += 1;
  return frame[at];
}

async function regenerated(service: ServiceName): Promise<Map<string, string>> {
  const tree = workspace();
  await generator(tree, { name: service, entityType: entityTypesOf(service)[0]! });
  const root = `apps/${service}`;
  const files = filesBelow(tree, root);
  return new Map(
    await Promise.all(files.map(async (file) => [file, await formatted(file, tree.read(`${root}/${file}`, 'utf8')!)] as const)),
  );
}

describe("every service's skeleton is the generator's", () => {
  it.each(SERVICES)(
    '%s: the files the template owns are as generated, and its frames stand around what the author wrote',
    async (service) => {
      const generated = await regenerated(service);
      const committed = (file: string) => readFileSync(join(ROOT, 'apps', service, file), 'utf8');

      const owned = [...generated.keys()].filter((file) => !(file in FILLED_IN) && !(file in FRAMED));
      expect(owned.sort()).toEqual(['jest.config.cjs', 'project.json', 'src/main.ts', 'tsconfig.json', 'tsconfig.spec.json']);
      for (const file of owned)
        if (file.endsWith('.json'))
          expect({ file, json: JSON.parse(committed(file)) }).toEqual({ file, json: JSON.parse(generated.get(file)!) });
        else expect({ file, text: committed(file) }).toEqual({ file, text: generated.get(file) });

      for (const [file, slot] of Object.entries(FRAMED)) {
        const frame = generated
          .get(file)!
          .split('\n')
          .filter((line) => !slot.test(line));
        expect({ file, missing: missingFrameLine(frame, committed(file).split('\n')) }).toEqual({ file, missing: undefined });
      }
    },
  );

  it('lists only files the generator writes, and each names what the author writes there', async () => {
    const generated = await regenerated('s3-lockdown');
    for (const file of [...Object.keys(FILLED_IN), ...Object.keys(FRAMED)]) expect(generated.has(file)).toBe(true);
    expect(Object.values(FILLED_IN).every((why) => why.length > 0)).toBe(true);
    // The files a service's author fills in exist in every service (the adapter under its own name).
    for (const service of SERVICES)
      for (const file of Object.keys(FILLED_IN).filter((f) => !f.startsWith('src/adapters/')))
        expect({ service, file, exists: existsSync(join(ROOT, 'apps', service, file)) }).toEqual({ service, file, exists: true });
  });
});

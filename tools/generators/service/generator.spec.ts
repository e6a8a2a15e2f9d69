import { filesBelow, formatted, generator, workspace } from './test-workspace';

describe('nx g @lockdown/tools:service', () => {
  it('writes the app skeleton, registers its descriptor, routes the entity type to it and maps its import path', async () => {
    const tree = workspace();
    await generator(tree, { name: 'bucket-guard', entityType: 's3-bucket' });

    for (const file of [
      'project.json',
      'src/main.ts',
      'src/handler.ts',
      'src/use-case.ts',
      'src/descriptor.ts',
      'src/settings.ts',
      'src/runtime.ts',
      'src/domain/plan.ts',
      'src/domain/plan.spec.ts',
      'src/domain/step-kinds.ts',
      'src/steps/context.ts',
      'src/adapters/containment.ts',
    ])
      expect(tree.exists(`apps/bucket-guard/${file}`)).toBe(true);
    // The steps' context in its own module, so a step never imports the adapter (which imports every step).
    expect(tree.read('apps/bucket-guard/src/steps/context.ts', 'utf8')).toContain('export interface BucketGuardContext');
    expect(tree.read('apps/bucket-guard/src/adapters/containment.ts', 'utf8')).toContain(
      "import type { BucketGuardContext } from '../steps/context';",
    );
    expect(tree.read('apps/bucket-guard/src/adapters/containment.ts', 'utf8')).not.toContain('interface BucketGuardContext');
    expect(tree.read('apps/bucket-guard/src/handler.ts', 'utf8')).toContain('serviceWiring(service, env, clients)');
    expect(JSON.parse(tree.read('apps/bucket-guard/project.json', 'utf8')!).tags).toEqual(['type:app', 'scope:bucket-guard']);

    const registry = tree.read('libs/services/src/registry.ts', 'utf8')!;
    expect(registry).toContain("import { descriptor as bucketGuard } from '@lockdown/bucket-guard/descriptor';");
    expect(registry).toContain("'bucket-guard': bucketGuard,");
    const routing = tree.read('libs/contracts/src/routing.ts', 'utf8')!;
    expect(routing).toContain("'s3-bucket': 'bucket-guard',");
    expect(routing.match(/'s3-bucket':/g)).toHaveLength(1);
    expect(JSON.parse(tree.read('tsconfig.base.json', 'utf8')!).compilerOptions.paths['@lockdown/bucket-guard']).toEqual([
      'apps/bucket-guard/src/index.ts',
    ]);
  });

  it('writes, for an entity type of its own, exactly these files (prettier-formatted as the real run leaves them)', async () => {
    // Prepare: a new entity type defined in the contracts first, as the README says.
    const tree = workspace();
    const entities = tree.read('libs/contracts/src/entity.ts', 'utf8')!;
    tree.write(
      'libs/contracts/src/entity.ts',
      `${entities}\nexport const SqsQueueRefSchema = object({ type: literal('sqs-queue'), ...base });\n`,
    );

    await generator(tree, { name: 'queue-lockdown', entityType: 'sqs-queue' });

    const files = filesBelow(tree, 'apps/queue-lockdown').sort();
    const written = Object.fromEntries(
      await Promise.all(files.map(async (file) => [file, await formatted(file, tree.read(`apps/queue-lockdown/${file}`, 'utf8')!)])),
    );
    expect(written).toMatchSnapshot();
  });

  it('refuses an entity type the contracts do not define, and an app that exists', async () => {
    await expect(generator(workspace(), { name: 'queue-lockdown', entityType: 'sqs-queue' })).rejects.toThrow(/not an entity type/);
    const tree = workspace();
    tree.write('apps/iam-lockdown/project.json', '{}');
    await expect(generator(tree, { name: 'iam-lockdown', entityType: 'iam-user' })).rejects.toThrow(/exists already/);
  });

  it('refuses a name that is not a service name', async () => {
    await expect(generator(workspace(), { name: 'Bad_Name', entityType: 's3-bucket' })).rejects.toThrow(/not a service name/);
  });
});

// `nx g @lockdown/tools:service <name> --entityType <type>`: a new containment service.
// It writes the app (a skeleton to fill in: domain/step-kinds.ts, domain/plan.ts, steps/, the adapter's
// observe and the descriptor), registers its descriptor in libs/services, routes the entity type to it in
// libs/contracts/src/routing.ts and maps @lockdown/<name> in tsconfig.base.json. Everything else
// (its stack, queue, DLQ, alarms, dashboard, configuration, lint boundaries, the CLI's plan, the
// drill's wiring, the bench's bundles) follows from the registry.
const { formatFiles, generateFiles, names, updateJson } = require('@nx/devkit');
const { join } = require('node:path');

const REGISTRY = 'libs/services/src/registry.ts';
const ROUTING = 'libs/contracts/src/routing.ts';
const ENTITIES = 'libs/contracts/src/entity.ts';

function insertBefore(text, marker, line, file) {
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`${file}: cannot find "${marker}"`);
  return `${text.slice(0, at)}${line}\n${text.slice(at)}`;
}

function registerDescriptor(tree, name, variable) {
  let text = tree.read(REGISTRY, 'utf8');
  const imports = [...text.matchAll(/^import \{ descriptor as \w+ \} from '@lockdown\/[\w-]+\/descriptor';$/gm)];
  const last = imports.at(-1);
  if (!last) throw new Error(`${REGISTRY}: no descriptor import to follow`);
  const end = last.index + last[0].length;
  text = `${text.slice(0, end)}\nimport { descriptor as ${variable} } from '@lockdown/${name}/descriptor';${text.slice(end)}`;
  text = insertBefore(text, '} satisfies Record<ServiceName, ServiceDescriptor>;', `  '${name}': ${variable},`, REGISTRY);
  tree.write(REGISTRY, text);
}

function routeEntityType(tree, entityType, name) {
  const text = tree.read(ROUTING, 'utf8');
  const row = new RegExp(`^  '${entityType}': '[\\w-]+',$`, 'm');
  const line = `  '${entityType}': '${name}',`;
  tree.write(ROUTING, row.test(text) ? text.replace(row, line) : insertBefore(text, '} as const satisfies', line, ROUTING));
}

module.exports = async function serviceGenerator(tree, { name, entityType }) {
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name)) throw new Error(`"${name}" is not a service name (lower case, digits and hyphens)`);
  const root = `apps/${name}`;
  if (tree.exists(root)) throw new Error(`${root} exists already`);
  if (!tree.read(ENTITIES, 'utf8').includes(`literal('${entityType}')`))
    throw new Error(`"${entityType}" is not an entity type of ${ENTITIES}: define its schema and ARN parser there first`);
  const { className, propertyName } = names(name);
  generateFiles(tree, join(__dirname, 'files'), root, { name, entityType, className, camelName: propertyName, tmpl: '' });
  registerDescriptor(tree, name, propertyName);
  routeEntityType(tree, entityType, name);
  updateJson(tree, 'tsconfig.base.json', (json) => {
    json.compilerOptions.paths[`@lockdown/${name}`] = [`${root}/src/index.ts`];
    return json;
  });
  await formatFiles(tree);
  return () =>
    console.log(
      `\n${name}: fill in src/domain/step-kinds.ts (the kinds), src/domain/plan.ts (the steps), src/steps/ (one kind's implementation per file), the adapter's observe, the descriptor's observe calls and member statements; then npm test.`,
    );
};

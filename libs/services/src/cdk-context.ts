import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `context` of the cdk.json in `cwd` (none without one): the settings an operator wrote down. */
export function cdkJsonContext(cwd: string): Record<string, unknown> {
  const file = join(cwd, 'cdk.json');
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}

/**
 * The CDK context a synthesis starts from. Under the CDK CLI (`cdk synth/deploy`) it is already in
 * CDK_CONTEXT_JSON (cdk.json merged with `-c key=value`), which the App reads itself; run directly
 * (`npm run synth`, `nx run infra:synth`, every `nx deploy`), the same settings come from cdk.json.
 */
export function startingContext(cwd: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return env['CDK_CONTEXT_JSON'] ? {} : cdkJsonContext(cwd);
}

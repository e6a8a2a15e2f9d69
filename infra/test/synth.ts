import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../src/app';
import { LockdownConfig, loadConfig } from '@lockdown/services';

process.chdir(require('node:path').resolve(__dirname, '..', '..'));

/** The security account the tests' member stacks trust unless a test names another (or none). */
export const TEST_SECURITY_ACCOUNT = '999999999999';

/** Synthesizes every stack with this context (cdk-nag included), once per configuration. */
export function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context: { securityAccountId: TEST_SECURITY_ACCOUNT, ...context } });
  const config: LockdownConfig = loadConfig((key) => app.node.tryGetContext(key));
  const stacks = buildApp(app, config);
  app.synth();
  return { app, config, ...stacks, template: (stack: Parameters<typeof Template.fromStack>[0]) => Template.fromStack(stack) };
}

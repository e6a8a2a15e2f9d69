import { App } from 'aws-cdk-lib';
import { buildApp } from './app';
import { ConfigError, checkSettingNames, configWarnings, loadConfig, startingContext } from '@lockdown/services';

/**
 * Synthesizes every stack without AWS credentials, with the settings of cdk.json and `-c`: run by
 * the CDK CLI (`cdk synth`, `cdk deploy`) or directly (`npm run synth`, Nx targets).
 */
try {
  const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out', context: startingContext(process.cwd(), process.env) });
  checkSettingNames(Object.keys(app.node.getAllContext()));
  const config = loadConfig((key) => app.node.tryGetContext(key));
  // A configuration refused while building (no securityAccountId) says only that, no warnings before it.
  buildApp(app, config);
  for (const warning of configWarnings(config)) process.stderr.write(`lockdown: warning: ${warning}\n`);
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`lockdown: ${error.message}\n`);
  process.exitCode = 1;
}

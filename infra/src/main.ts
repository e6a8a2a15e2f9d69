import { App } from 'aws-cdk-lib';
import { buildApp } from './app';
import { loadConfig } from './config';

/** `npm run synth`: synthesizes every stack into cdk.out/ without AWS credentials. */
const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
buildApp(app, loadConfig((key) => app.node.tryGetContext(key)));
app.synth();

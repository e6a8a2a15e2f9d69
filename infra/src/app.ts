import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SERVICES } from '@lockdown/contracts';
import { LockdownConfig } from './config';
import { STACK_NAMES } from './names';
import { CoreStack } from './stacks/core-stack';
import { MemberRoleStack } from './stacks/member-role-stack';
import { ServiceStack } from './stacks/service-stack';

/** Builds every lockdown stack into an app, with cdk-nag's AWS Solutions checks on all of them. */
export function buildApp(app: App, config: LockdownConfig) {
  // A queue key's SNS grant only for the subscribed topic (without the flag CDK adds an unconditioned one).
  app.node.setContext('@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption', true);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const core = new CoreStack(app, STACK_NAMES.core, { config, env, description: 'lockdown: ingress, intake, dispatch and audit topics' });
  const services = SERVICES.map(
    (service) => new ServiceStack(app, STACK_NAMES.service(service), { service, config, env, description: `lockdown: the ${service} service` }),
  );
  const member = new MemberRoleStack(app, STACK_NAMES.member, { config, env, description: 'lockdown: the member-account role' });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { core, services, member };
}

import { App, Aspects, CfnDeletionPolicy, CfnResource, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SERVICE_DESCRIPTORS, LockdownConfig } from '@lockdown/services';
import { STACK_NAMES } from './names';
import { CoreStack } from './stacks/core-stack';
import { MemberRoleStack, securityAccountOf } from './stacks/member-role-stack';
import { OrgGuardStack } from './stacks/org-guard-stack';
import { ServiceStack } from './stacks/service-stack';
import { TriggersStack } from './stacks/triggers-stack';

/**
 * What is kept on delete (ledgers, logs, keys) is not kept when its first creation fails: a failed
 * first deploy rolls back cleanly and the next one does not stop on "already exists".
 */
class RetainExceptOnCreate implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CfnResource && node.cfnOptions.deletionPolicy === CfnDeletionPolicy.RETAIN)
      node.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  }
}

/** Builds every lockdown stack into an app, with cdk-nag's AWS Solutions checks on all of them. */
export function buildApp(app: App, config: LockdownConfig) {
  // Checked before any stack exists: a refused configuration synthesizes nothing.
  const securityAccountId = securityAccountOf(config);
  // A queue key's SNS grant only for the subscribed topic (without the flag CDK adds an unconditioned one).
  app.node.setContext('@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption', true);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const core = new CoreStack(app, STACK_NAMES.core, { config, env, description: 'lockdown: ingress, intake, dispatch and audit topics' });
  const services = SERVICE_DESCRIPTORS.map(
    ({ name, summary }) =>
      new ServiceStack(app, STACK_NAMES.service(name), { service: name, config, env, description: `lockdown ${name}: ${summary}` }),
  );
  // The services read the core stack's SSM parameters: deployed together, core goes first.
  for (const service of services) service.addStackDependency(core);
  const member = new MemberRoleStack(app, STACK_NAMES.member, {
    config,
    securityAccountId,
    env,
    description: 'lockdown: the member-account role',
  });
  const orgGuard = new OrgGuardStack(app, STACK_NAMES.orgGuard, {
    config,
    env,
    description: 'lockdown: the organization guard (service control policy)',
  });
  const triggers = new TriggersStack(app, STACK_NAMES.triggers, {
    config,
    env,
    description: 'lockdown triggers: GuardDuty findings and Security Hub custom actions',
  });
  triggers.addStackDependency(core);
  Aspects.of(app).add(new RetainExceptOnCreate());
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { core, services, member, orgGuard, triggers };
}

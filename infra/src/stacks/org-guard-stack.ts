import { DefaultStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { orgGuardPolicy } from '@lockdown/contracts';
import { LockdownConfig } from '@lockdown/services';

export interface OrgGuardStackProps extends StackProps {
  readonly config: LockdownConfig;
}

/**
 * The organization guard, for the Organizations management account (or a delegated administrator
 * for policies): one static service control policy attached to the configured roots or OUs. It
 * denies everything to contained principals and keep what lockdown changed as lockdown left it, for
 * everyone but lockdown's member role, and keeps the member role itself for its deployers only.
 * SCPs do not apply to the management account itself.
 */
export class OrgGuardStack extends Stack {
  constructor(scope: Construct, id: string, props: OrgGuardStackProps) {
    super(scope, id, { ...props, synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    const { memberRoleName, memberRoleDeployers, orgGuardTargets } = props.config;
    new organizations.CfnPolicy(this, 'Guard', {
      name: 'lockdown-guard',
      description:
        'lockdown: contained principals do nothing; only lockdown changes what it contained and its own tags and groups; only its deployers change its role',
      type: 'SERVICE_CONTROL_POLICY',
      content: orgGuardPolicy({ memberRoleName, memberRoleDeployers }),
      ...(orgGuardTargets.length > 0 ? { targetIds: orgGuardTargets } : {}),
    });
  }
}

import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { LOCKDOWN_NAME_PREFIX, SERVICES } from '@lockdown/contracts';
import { LockdownConfig } from '../config';
import { MEMBER_ACTIONS } from '../member-permissions';
import { serviceRoleName } from '../names';

export interface MemberRoleStackProps extends StackProps {
  config: LockdownConfig;
}

/**
 * The one role lockdown uses in a member account (fixed name), trusted only by the three service
 * roles of the security account with the ExternalId; its permissions are exactly the calls the
 * services make, scoped where IAM allows. Deploy it to every account with a service-managed
 * StackSet; in the security account itself it gives single-account use.
 */
export class MemberRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    super(scope, id, props);
    const { config } = props;
    const securityAccount = config.securityAccountId ?? this.account;
    const conditions: Record<string, Record<string, string>> = { StringEquals: { 'sts:ExternalId': config.memberExternalId } };
    if (config.organizationId) conditions['StringEquals']!['aws:PrincipalOrgID'] = config.organizationId;
    const trusted = SERVICES.map((s) => new iam.ArnPrincipal(`arn:${this.partition}:iam::${securityAccount}:role/${serviceRoleName(s)}`));

    this.role = new iam.Role(this, 'MemberRole', {
      roleName: config.memberRoleName,
      description: 'lockdown: contains compromised IAM principals, Lambda functions and EC2 instances in this account',
      assumedBy: new iam.CompositePrincipal(...trusted).withConditions(conditions),
    });

    const account = this.account;
    const p = this.partition;
    const iamArn = (resource: string) => `arn:${p}:iam::${account}:${resource}`;
    const ec2Arn = (resource: string) => `arn:${p}:ec2:*:${account}:${resource}`;
    const denyAll = `arn:${p}:iam::aws:policy/AWSDenyAll`;
    const managed = { StringEquals: { 'aws:ResourceTag/lockdown:managed': 'true' } };
    const statements = [
      { sid: 'ReadPrincipals', actions: MEMBER_ACTIONS.iamRead, resources: [iamArn('user/*'), iamArn('role/*'), iamArn('instance-profile/*')] },
      { sid: 'InlineDenyPolicies', actions: MEMBER_ACTIONS.iamInline, resources: [iamArn('user/*'), iamArn('role/*')] },
      {
        sid: 'AttachOnlyAWSDenyAll',
        actions: MEMBER_ACTIONS.iamDenyAll,
        resources: [iamArn('user/*'), iamArn('role/*')],
        conditions: { ArnEquals: { 'iam:PolicyARN': denyAll } },
      },
      { sid: 'KeysAndTags', actions: MEMBER_ACTIONS.iamKeysAndTags, resources: [iamArn('user/*'), iamArn('role/*')] },
      { sid: 'Functions', actions: MEMBER_ACTIONS.lambda, resources: [`arn:${p}:lambda:*:${account}:function:*`, `arn:${p}:lambda:*:${account}:event-source-mapping:*`] },
      { sid: 'DescribeEc2', actions: MEMBER_ACTIONS.ec2Read, resources: ['*'] },
      { sid: 'InstancesAndInterfaces', actions: MEMBER_ACTIONS.ec2Instance, resources: [ec2Arn('instance/*'), ec2Arn('network-interface/*'), ec2Arn('security-group/*')] },
      {
        sid: 'CreateTaggedGroups',
        actions: MEMBER_ACTIONS.ec2CreateGroup,
        resources: [ec2Arn('vpc/*'), ec2Arn('security-group/*')],
      },
      { sid: 'OwnGroupRulesOnly', actions: MEMBER_ACTIONS.ec2GroupRules, resources: [ec2Arn('security-group/*')], conditions: managed },
      {
        sid: 'Tags',
        actions: MEMBER_ACTIONS.ec2Tags,
        resources: [ec2Arn('instance/*'), ec2Arn('security-group/*'), `arn:${p}:ec2:*::snapshot/*`],
      },
      { sid: 'ForensicSnapshots', actions: MEMBER_ACTIONS.ec2Snapshot, resources: [ec2Arn('volume/*'), `arn:${p}:ec2:*::snapshot/*`] },
      { sid: 'AutoScalingMembership', actions: MEMBER_ACTIONS.autoScalingRead, resources: ['*'] },
      { sid: 'KeepEvidenceOutOfAutoScaling', actions: MEMBER_ACTIONS.autoScaling, resources: [`arn:${p}:autoscaling:*:${account}:autoScalingGroup:*:autoScalingGroupName/*`] },
      { sid: 'TargetGroupMembership', actions: MEMBER_ACTIONS.loadBalancingRead, resources: ['*'] },
      { sid: 'TakeOutOfLoadBalancers', actions: MEMBER_ACTIONS.loadBalancing, resources: [`arn:${p}:elasticloadbalancing:*:${account}:targetgroup/*/*`] },
    ];
    const policy = new iam.Policy(this, 'Permissions', {
      statements: [
        ...statements.map((s) => new iam.PolicyStatement({ sid: s.sid, actions: [...s.actions], resources: s.resources, ...(s.conditions ? { conditions: s.conditions } : {}) })),
        // lockdown never changes its own roles, whatever a request says.
        new iam.PolicyStatement({
          sid: 'NeverTouchLockdown',
          effect: iam.Effect.DENY,
          actions: [...MEMBER_ACTIONS.iamInline, ...MEMBER_ACTIONS.iamDenyAll, ...MEMBER_ACTIONS.iamKeysAndTags],
          resources: [iamArn(`role/${LOCKDOWN_NAME_PREFIX}*`), iamArn(`role/${config.memberRoleName}`)],
        }),
      ],
    });
    policy.attachToRole(this.role);
    NagSuppressions.addResourceSuppressions(
      policy,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The compromised entity can be any user, role, function, instance or interface of the account, in any region: resources are scoped to this account and resource type; AWSDenyAll is the only policy that can be attached; rules can only change on groups tagged lockdown:managed; EC2 Describe, DescribeAutoScalingInstances and the ELB Describe calls support no resource scoping.',
        },
      ],
      true,
    );
    new CfnOutput(this, 'MemberRoleArn', { value: this.role.roleArn });
  }
}

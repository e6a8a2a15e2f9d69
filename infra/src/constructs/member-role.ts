import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { PolicyDocument } from '@lockdown/contracts';

export interface MemberRoleProps {
  /** The role's name in every member account. */
  readonly roleName: string;
  readonly description: string;
  /** Who may assume it: the security account, for the named service roles with the ExternalId. */
  readonly assumedBy: iam.IPrincipal;
  /** Its permissions with the account and partition as CloudFormation's pseudo-parameters. */
  readonly document: PolicyDocument;
  /** The same document as cdk-nag names its findings (<AWS::Partition>, <AWS::AccountId>): its wildcards are suppressed. */
  readonly rendered: PolicyDocument;
  /** Why each wildcard resource is needed (cdk-nag's AwsSolutions-IAM5 suppression). */
  readonly wildcardReason: string;
  /** Construct ids of the role, its policy and its ARN output (added to the scope). */
  readonly ids: { readonly role: string; readonly policy: string; readonly output: string };
}

/**
 * A role lockdown assumes in a member account, its one policy, and its ARN as an output. Exactly the
 * wildcard resources of its document are suppressed for cdk-nag, with the reason.
 */
export class MemberRole {
  readonly role: iam.Role;

  constructor(scope: Construct, props: MemberRoleProps) {
    this.role = new iam.Role(scope, props.ids.role, {
      roleName: props.roleName,
      description: props.description,
      assumedBy: props.assumedBy,
    });
    const policy = new iam.Policy(scope, props.ids.policy, { document: iam.PolicyDocument.fromJson(props.document) });
    policy.attachToRole(this.role);
    const wildcards = [
      ...new Set(
        props.rendered.Statement.filter((s) => s.Effect === 'Allow')
          .flatMap((s) => s.Resource)
          .filter((r) => r.includes('*')),
      ),
    ];
    NagSuppressions.addResourceSuppressions(
      policy,
      [{ id: 'AwsSolutions-IAM5', reason: props.wildcardReason, appliesTo: wildcards.map((resource) => `Resource::${resource}`) }],
      true,
    );
    new CfnOutput(scope, props.ids.output, { value: this.role.roleArn });
  }
}

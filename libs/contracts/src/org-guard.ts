import type { PolicyDocument, PolicyStatement } from './member-permissions';
import { CONTAINMENT_TAG, GUARD_TAG, MANAGED_TAG, TAG_PREFIX } from './tags';

export interface OrgGuardProps {
  /** The member role's name in every account: the one principal the guard never denies. */
  memberRoleName: string;
}

/** AWS's size limit for a service control policy, in characters (whitespace counts). */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * The organization guard: one static service control policy that holds a containment against an
 * attacker who still has credentials or a second principal. No write to Organizations happens at
 * containment time: it keys on the tags lockdown writes. Every statement spares lockdown's member
 * role (`aws:PrincipalArn`), so lockdown can always contain and release.
 */
export function orgGuardPolicy({ memberRoleName }: OrgGuardProps): PolicyDocument {
  const exceptLockdown = { ArnNotLike: { 'aws:PrincipalArn': `arn:*:iam::*:role/${memberRoleName}` } };
  const deny = (Sid: string, Action: string[], Condition: Record<string, Record<string, string | string[]>>): PolicyStatement => ({
    Sid,
    Effect: 'Deny',
    Action,
    Resource: ['*'],
    Condition: { ...Condition, ...exceptLockdown },
  });
  const tagged = (key: string) => ({ StringLike: { [`aws:ResourceTag/${key}`]: '*' } });
  return {
    Version: '2012-10-17',
    Statement: [
      // A contained user or role can do nothing, whatever policies an attacker attaches or removes.
      deny('ContainedPrincipalsDoNothing', ['*'], { Null: { [`aws:PrincipalTag/${CONTAINMENT_TAG}`]: 'false' } }),
      // Nobody but lockdown writes or removes lockdown's tags.
      deny(
        'OnlyLockdownTagsLockdown',
        [
          'iam:TagUser',
          'iam:UntagUser',
          'iam:TagRole',
          'iam:UntagRole',
          'ec2:CreateTags',
          'ec2:DeleteTags',
          'lambda:TagResource',
          'lambda:UntagResource',
        ],
        {
          'ForAnyValue:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` },
        },
      ),
      // The policies, trust, boundary, keys and passwords of a contained user or role stay as lockdown left them.
      deny(
        'FreezeContainedPrincipals',
        [
          'iam:PutUserPolicy',
          'iam:DeleteUserPolicy',
          'iam:AttachUserPolicy',
          'iam:DetachUserPolicy',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:AttachRolePolicy',
          'iam:DetachRolePolicy',
          'iam:UpdateAssumeRolePolicy',
          'iam:PutUserPermissionsBoundary',
          'iam:DeleteUserPermissionsBoundary',
          'iam:PutRolePermissionsBoundary',
          'iam:DeleteRolePermissionsBoundary',
          'iam:CreateAccessKey',
          'iam:UpdateAccessKey',
          'iam:CreateLoginProfile',
          'iam:UpdateLoginProfile',
        ],
        tagged(CONTAINMENT_TAG),
      ),
      // A role that carries lockdown's credential deny for a function or an instance keeps it (and its trust).
      deny(
        'FreezeGuardedRoles',
        [
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:AttachRolePolicy',
          'iam:DetachRolePolicy',
          'iam:UpdateAssumeRolePolicy',
          'iam:PutRolePermissionsBoundary',
          'iam:DeleteRolePermissionsBoundary',
        ],
        tagged(GUARD_TAG),
      ),
      // A contained function stays stopped (its mappings too) with its code and its role (the one
      // carrying the deny); a contained instance keeps its protection and attributes.
      deny(
        'FreezeContainedFunctionsAndInstances',
        [
          'lambda:PutFunctionConcurrency',
          'lambda:DeleteFunctionConcurrency',
          'lambda:UpdateFunctionConfiguration',
          'lambda:UpdateFunctionCode',
          'lambda:UpdateEventSourceMapping',
          'lambda:DeleteEventSourceMapping',
          'ec2:ModifyInstanceAttribute',
          'ec2:ModifyNetworkInterfaceAttribute',
        ],
        tagged(CONTAINMENT_TAG),
      ),
      // lockdown's own security groups keep exactly their rules.
      deny(
        'FreezeLockdownGroups',
        [
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:ModifySecurityGroupRules',
          'ec2:DeleteSecurityGroup',
        ],
        tagged(MANAGED_TAG),
      ),
    ],
  };
}

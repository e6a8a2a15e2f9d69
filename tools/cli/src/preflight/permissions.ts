import { DEFAULT_MEMBER_ROLE_NAME } from '@lockdown/contracts';

/**
 * The identity policy `lockdown preflight` needs, read-only (README prints it): every read of
 * `aws-reads.ts` and nothing else; the sandbox authorizes the command's calls against it with
 * iam-simulate (`commands/preflight.spec.ts`). sts:GetCallerIdentity needs no permission.
 */
export function preflightPolicy(memberRoleName: string = DEFAULT_MEMBER_ROLE_NAME) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CdkBootstrap', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:*:*:parameter/cdk-bootstrap/*' },
      {
        Sid: 'CdkToolkitStack',
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks'],
        Resource: 'arn:aws:cloudformation:*:*:stack/CDKToolkit/*',
      },
      {
        Sid: 'Principals',
        Effect: 'Allow',
        Action: ['iam:GetRole', 'iam:GetUser'],
        Resource: ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'],
      },
      { Sid: 'SecurityHub', Effect: 'Allow', Action: ['securityhub:DescribeHub'], Resource: 'arn:aws:securityhub:*:*:hub/default' },
      {
        // These support no resource-level permissions (Service Authorization Reference): "*" is the only resource.
        Sid: 'NoResourceLevel',
        Effect: 'Allow',
        Action: [
          'guardduty:ListDetectors',
          'guardduty:GetAdministratorAccount',
          'organizations:DescribeOrganization',
          'organizations:ListRoots',
          'organizations:DescribeOrganizationalUnit',
          'organizations:DescribeAccount',
          'organizations:ListAWSServiceAccessForOrganization',
          'organizations:ListDelegatedAdministrators',
        ],
        Resource: '*',
      },
      { Sid: 'MemberRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::*:role/${memberRoleName}` },
    ],
  };
}

import type { ServiceDescriptor } from '@lockdown/aws';
import { allowStatement } from '@lockdown/contracts';
import { service } from './settings';
import type * as Runtime from './runtime';

/** iam-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary: 'denies IAM users and roles everything, deactivates their keys and other credentials; denies one session of a role',
  // IAM writes are the most generous of the APIs lockdown calls.
  concurrency: { batchSize: 2, maximumConcurrency: 5 },
  observe: {
    'iam-user': [
      'iam:GetUser',
      'iam:ListAttachedUserPolicies',
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      'iam:ListAccessKeys',
      'iam:ListSSHPublicKeys',
      'iam:ListServiceSpecificCredentials',
      'iam:ListSigningCertificates',
    ],
    'iam-role': ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'],
    'iam-role-session': ['iam:GetRole', 'iam:GetRolePolicy'],
  },
  // The console password option (the statements on principals every service shares, memberRolePolicy's, cover the rest).
  memberStatements: ({ partition, account }) => [
    allowStatement('ConsolePasswords', ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'], [`arn:${partition}:iam::${account}:user/*`]),
  ],
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'iam-lockdown'>;

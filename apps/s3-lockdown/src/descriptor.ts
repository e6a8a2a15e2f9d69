import type { ServiceDescriptor } from '@lockdown/aws';
import { allowStatement } from '@lockdown/contracts';
import { service } from './settings';
import type * as Runtime from './runtime';

/** s3-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary: 'denies every principal but lockdown access to S3 buckets, blocks public access and turns ACLs off',
  // S3 bucket-configuration calls are generous; a containment makes 4 writes.
  concurrency: { batchSize: 5, maximumConcurrency: 2 },
  observe: {
    's3-bucket': [
      's3:GetBucketLocation',
      'then: s3:GetBucketPolicy',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketOwnershipControls',
      's3:GetBucketTagging',
    ],
  },
  memberStatements: ({ partition }) => [
    allowStatement(
      'ContainBuckets',
      [
        's3:GetBucketLocation',
        's3:GetBucketPolicy',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:PutBucketPublicAccessBlock',
        's3:GetBucketOwnershipControls',
        's3:PutBucketOwnershipControls',
        's3:GetBucketTagging',
        's3:PutBucketTagging',
      ],
      // S3 bucket ARNs carry no account: ExpectedBucketOwner on every call, and this condition, keep it to this account's buckets.
      [`arn:${partition}:s3:::*`],
      { StringEquals: { 's3:ResourceAccount': '${aws:PrincipalAccount}' } },
    ),
  ],
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 's3-lockdown'>;

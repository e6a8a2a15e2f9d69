import type { ServiceDescriptor } from '@lockdown/aws';
import { CONTAINMENT_TAG_ONLY, allowStatement } from '@lockdown/contracts';
import { service } from './settings';
import type * as Runtime from './runtime';

/** lambda-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary: "stops Lambda functions (concurrency 0, event sources off) and denies their execution role's credentials",
  // Lambda's control plane allows 15 requests/s and a containment makes 2-4 writes.
  concurrency: { batchSize: 2, maximumConcurrency: 2 },
  observe: {
    'lambda-function': [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionConcurrency',
      'lambda:ListEventSourceMappings',
      'lambda:ListTags',
    ],
  },
  // Configuration and concurrency only: GetFunction would also return a link to download the code.
  memberStatements: ({ partition, account }) => {
    const functions = [`arn:${partition}:lambda:*:${account}:function:*`, `arn:${partition}:lambda:*:${account}:event-source-mapping:*`];
    return [
      allowStatement(
        'Functions',
        [
          'lambda:GetFunctionConfiguration',
          'lambda:GetFunctionConcurrency',
          'lambda:PutFunctionConcurrency',
          'lambda:DeleteFunctionConcurrency',
          'lambda:UpdateEventSourceMapping',
        ],
        functions,
      ),
      // Supports no resource-level permissions (Service Authorization Reference): Resource must be "*".
      allowStatement('ListMappings', ['lambda:ListEventSourceMappings'], ['*']),
      allowStatement('ReadFunctionTags', ['lambda:ListTags'], functions),
      allowStatement('ContainmentTagOnFunctions', ['lambda:TagResource', 'lambda:UntagResource'], functions, CONTAINMENT_TAG_ONLY),
    ];
  },
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'lambda-lockdown'>;

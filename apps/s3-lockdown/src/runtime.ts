import type { EntityOf } from '@lockdown/contracts';
import { planS3Containment } from './domain/plan';

export { createS3LockdownHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`). */
export function examplePlan(entity: EntityOf<'s3-lockdown'>, _now: string) {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: `${entity.arn}/*` },
    ],
  };
  return {
    assumes: 'a bucket policy granting a partner account read access, no Block Public Access, ACLs on, one tag',
    steps: planS3Containment(
      {
        name: entity.name,
        arn: entity.arn,
        region: 'eu-west-1',
        policy: JSON.stringify(policy),
        publicAccessBlock: null,
        ownership: 'ObjectWriter',
        tags: { team: 'data' },
      },
      { requestId: '<request-id>', exempt: [`arn:${entity.partition}:iam::${entity.accountId}:role/lockdown-member`] },
    ),
  };
}

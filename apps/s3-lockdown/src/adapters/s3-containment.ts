import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { S3BucketRef } from '@lockdown/contracts';
import { ObservedBucket } from '../domain/observed';
import { S3PlanOptions, planS3Containment, s3ContainmentGaps } from '../domain/plan';
import { bucketPolicy } from '../steps/bucket-policy';
import { bucketTag } from '../steps/bucket-tag';
import type { BucketContext } from '../steps/context';
import { objectOwnership } from '../steps/object-ownership';
import { publicAccessBlock } from '../steps/public-access-block';

/** Reads the bucket: its region (first time only), then policy, Block Public Access, ownership and tags in parallel. */
export async function observeBucket({ api }: BucketContext, entity: S3BucketRef): Promise<ObservedBucket> {
  const region = await api.region();
  const [policy, pab, ownership, tags] = await Promise.all([api.policy(), api.publicAccessBlock(), api.ownership(), api.tags()]);
  return { name: entity.name, arn: entity.arn, region, policy, publicAccessBlock: pab, ownership, tags };
}

export function s3ContainmentAdapter(entity: S3BucketRef, options: S3PlanOptions): ContainmentAdapter<BucketContext, ObservedBucket> {
  return {
    observe: (ctx) => observeBucket(ctx, entity),
    plan: (state) => planS3Containment(state, options),
    snapshot: (state) => ({ ...state, publicAccessBlock: state.publicAccessBlock ? { ...state.publicAccessBlock } : null }),
    kinds: stepKinds<BucketContext, ObservedBucket>(bucketPolicy, publicAccessBlock, objectOwnership, bucketTag),
    containmentGaps: s3ContainmentGaps,
  };
}

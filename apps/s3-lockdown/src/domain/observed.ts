/** S3's four Block Public Access settings of a bucket. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** What lockdown reads of a bucket before and after containing it (null: the bucket has none). */
export interface ObservedBucket {
  name: string;
  arn: string;
  region: string;
  /** The bucket policy as S3 returns it. */
  policy: string | null;
  publicAccessBlock: PublicAccessBlock | null;
  /** The object ownership rule (`BucketOwnerEnforced` turns ACLs off). */
  ownership: string | null;
  tags: Record<string, string> | null;
}

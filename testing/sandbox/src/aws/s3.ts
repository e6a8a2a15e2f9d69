import { awsError } from './errors';
import { ServiceHandlers } from './context';
import { AccountState } from './state';

/** A general purpose bucket: names are global, so the sandbox keeps them in one map for every account. */
export interface BucketState {
  name: string;
  owner: string;
  region: string;
  policy?: string;
  publicAccessBlock?: Record<string, boolean>;
  ownership?: string;
  tags?: Array<{ Key: string; Value: string }>;
  /** The bucket ACL grants access beyond its owner (S3 then refuses BucketOwnerEnforced). */
  aclGrantsOthers?: boolean;
  /** Attribute-based access control enabled: S3 then takes tags through TagResource only (the code below is the sandbox's guess). */
  abac?: boolean;
}

const MAX_POLICY_BYTES = 20 * 1024;

/**
 * The S3 bucket-configuration calls s3-lockdown makes, with S3's error codes: a missing bucket is
 * NoSuchBucket (404), another owner than `ExpectedBucketOwner` is AccessDenied (403), a call to
 * another region than the bucket's is PermanentRedirect (301), a missing sub-resource has its own code.
 */
export function s3Handlers(buckets: Map<string, BucketState>): ServiceHandlers {
  const bucket = (input: { Bucket: string; ExpectedBucketOwner?: string }, region: string | undefined, account: AccountState) => {
    const found = buckets.get(input.Bucket);
    if (!found) throw awsError('NoSuchBucket', 'The specified bucket does not exist', 404);
    if ((input.ExpectedBucketOwner ?? account.id) !== found.owner) throw awsError('AccessDenied', 'Access Denied', 403);
    if (region !== undefined && region !== found.region)
      throw awsError('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', 301);
    return found;
  };
  return {
    CreateBucket: ({ Bucket, CreateBucketConfiguration }, { account, region }) => {
      if (buckets.has(Bucket)) throw awsError('BucketAlreadyExists', 'The requested bucket name is not available.', 409);
      buckets.set(Bucket, { name: Bucket, owner: account.id, region: CreateBucketConfiguration?.LocationConstraint ?? region });
      return { Location: `/${Bucket}` };
    },
    // Answered in any region (the SDK then knows where to go).
    GetBucketLocation: (input, { account }) => {
      const b = bucket(input, undefined, account);
      return { LocationConstraint: b.region === 'us-east-1' ? undefined : b.region };
    },
    GetBucketPolicy: (input, { account, region }) => {
      const b = bucket(input, region, account);
      if (b.policy === undefined) throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return { Policy: b.policy };
    },
    PutBucketPolicy: (input, { account, region }) => {
      const b = bucket(input, region, account);
      if (Buffer.byteLength(input.Policy) > MAX_POLICY_BYTES) throw awsError('PolicyTooLarge', 'Policies must be less than 20KB', 400);
      const statements = [JSON.parse(input.Policy).Statement].flat();
      const grantsPublic = statements.some((s: any) => s.Effect === 'Allow' && (s.Principal === '*' || s.Principal?.AWS === '*'));
      if (grantsPublic && b.publicAccessBlock?.['BlockPublicPolicy']) throw awsError('AccessDenied', 'Access Denied', 403);
      b.policy = input.Policy;
      return {};
    },
    DeleteBucketPolicy: (input, { account, region }) => {
      delete bucket(input, region, account).policy;
      return {};
    },
    GetPublicAccessBlock: (input, { account, region }) => {
      const b = bucket(input, region, account);
      if (!b.publicAccessBlock)
        throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
      return { PublicAccessBlockConfiguration: b.publicAccessBlock };
    },
    PutPublicAccessBlock: (input, { account, region }) => {
      bucket(input, region, account).publicAccessBlock = { ...input.PublicAccessBlockConfiguration };
      return {};
    },
    DeletePublicAccessBlock: (input, { account, region }) => {
      delete bucket(input, region, account).publicAccessBlock;
      return {};
    },
    GetBucketOwnershipControls: (input, { account, region }) => {
      const b = bucket(input, region, account);
      if (!b.ownership) throw awsError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404);
      return { OwnershipControls: { Rules: [{ ObjectOwnership: b.ownership }] } };
    },
    PutBucketOwnershipControls: (input, { account, region }) => {
      const b = bucket(input, region, account);
      const ownership = input.OwnershipControls.Rules[0].ObjectOwnership;
      if (ownership === 'BucketOwnerEnforced' && b.aclGrantsOthers)
        throw awsError(
          'InvalidBucketAclWithObjectOwnership',
          "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
          400,
        );
      b.ownership = ownership;
      return {};
    },
    DeleteBucketOwnershipControls: (input, { account, region }) => {
      delete bucket(input, region, account).ownership;
      return {};
    },
    GetBucketTagging: (input, { account, region }) => {
      const b = bucket(input, region, account);
      if (!b.tags) throw awsError('NoSuchTagSet', 'The TagSet does not exist', 404);
      return { TagSet: b.tags };
    },
    PutBucketTagging: (input, { account, region }) => {
      if (bucket(input, region, account).abac)
        throw awsError('InvalidRequest', 'PutBucketTagging is not allowed on a bucket with ABAC enabled; use TagResource', 400);
      bucket(input, region, account).tags = input.Tagging.TagSet.map((t: { Key: string; Value: string }) => ({ ...t }));
      return {};
    },
    DeleteBucketTagging: (input, { account, region }) => {
      delete bucket(input, region, account).tags;
      return {};
    },
  };
}

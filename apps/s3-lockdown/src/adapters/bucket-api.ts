import {
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ObjectOwnership,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { PublicAccessBlock } from '../domain/observed';
import { isS3SubresourceAbsent } from '@lockdown/containment';

/** What S3 answers when a bucket has no policy, Block Public Access, ownership controls or tags. */
const orNull = async <T>(read: Promise<T>): Promise<T | null> => {
  try {
    return await read;
  } catch (error) {
    if (isS3SubresourceAbsent(error)) return null;
    throw error;
  }
};

/** The region GetBucketLocation names: none is us-east-1; `EU` is S3's old name for eu-west-1. */
export const regionOfLocation = (location: string | undefined | null): string =>
  !location ? 'us-east-1' : location === 'EU' ? 'eu-west-1' : location;

/**
 * The S3 calls s3-lockdown makes on one bucket, behind one small interface. Every call names the
 * expected owner (`ExpectedBucketOwner`): a bucket of another account is refused by S3 itself.
 * The bucket's region is read once in the partition's home region, then every call goes there.
 */
export class BucketApi {
  /** The bucket's region and a client there: read once (GetBucketLocation in the home region), then reused. */
  private located?: Promise<{ region: string; s3: S3Client }>;

  constructor(
    private readonly s3For: (region: string) => S3Client,
    readonly bucket: string,
    readonly owner: string,
    private readonly homeRegion: string,
  ) {}

  private get target() {
    return { Bucket: this.bucket, ExpectedBucketOwner: this.owner };
  }

  private locate() {
    this.located ??= this.s3For(this.homeRegion)
      .send(new GetBucketLocationCommand(this.target))
      .then(({ LocationConstraint }) => {
        const region = regionOfLocation(LocationConstraint);
        return { region, s3: this.s3For(region) };
      });
    return this.located;
  }

  async region(): Promise<string> {
    return (await this.locate()).region;
  }

  private async s3(): Promise<S3Client> {
    return (await this.locate()).s3;
  }

  async policy(): Promise<string | null> {
    const s3 = await this.s3();
    return orNull(s3.send(new GetBucketPolicyCommand(this.target)).then((r) => r.Policy ?? null));
  }
  async publicAccessBlock(): Promise<PublicAccessBlock | null> {
    const s3 = await this.s3();
    return orNull(
      s3.send(new GetPublicAccessBlockCommand(this.target)).then(({ PublicAccessBlockConfiguration: c = {} }) => ({
        BlockPublicAcls: c.BlockPublicAcls ?? false,
        IgnorePublicAcls: c.IgnorePublicAcls ?? false,
        BlockPublicPolicy: c.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
      })),
    );
  }
  async ownership(): Promise<string | null> {
    const s3 = await this.s3();
    return orNull(
      s3.send(new GetBucketOwnershipControlsCommand(this.target)).then((r) => r.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null),
    );
  }
  async tags(): Promise<Record<string, string> | null> {
    const s3 = await this.s3();
    return orNull(
      s3
        .send(new GetBucketTaggingCommand(this.target))
        .then((r) => Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key!, t.Value ?? '']))),
    );
  }

  putPolicy = async (Policy: string) => void (await (await this.s3()).send(new PutBucketPolicyCommand({ ...this.target, Policy })));
  deletePolicy = async () => void (await (await this.s3()).send(new DeleteBucketPolicyCommand(this.target)));
  putPublicAccessBlock = async (configuration: PublicAccessBlock) =>
    void (await (await this.s3()).send(new PutPublicAccessBlockCommand({ ...this.target, PublicAccessBlockConfiguration: configuration })));
  deletePublicAccessBlock = async () => void (await (await this.s3()).send(new DeletePublicAccessBlockCommand(this.target)));
  putOwnership = async (ownership: string) =>
    void (await (
      await this.s3()
    ).send(
      new PutBucketOwnershipControlsCommand({
        ...this.target,
        OwnershipControls: { Rules: [{ ObjectOwnership: ownership as ObjectOwnership }] },
      }),
    ));
  deleteOwnership = async () => void (await (await this.s3()).send(new DeleteBucketOwnershipControlsCommand(this.target)));
  putTags = async (tags: Record<string, string>) =>
    void (await (
      await this.s3()
    ).send(
      new PutBucketTaggingCommand({ ...this.target, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }),
    ));
  deleteTags = async () => void (await (await this.s3()).send(new DeleteBucketTaggingCommand(this.target)));
}

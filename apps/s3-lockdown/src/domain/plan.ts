import type { PlannedStep } from '@lockdown/containment';
import { CONTAINMENT_TAG } from '@lockdown/contracts';
import { ObservedBucket, PublicAccessBlock } from './observed';
import * as kinds from './step-kinds';

/** The Sid of lockdown's statement in a bucket policy: how it is found, replaced and removed. */
export const DENY_SID = 'LockdownContainment';
/** S3's limit on a bucket policy's size. */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;
export const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
export const OWNER_ENFORCED = 'BucketOwnerEnforced';

export interface S3PlanOptions {
  /** The containment tag's value. */
  requestId: string;
  /** Who keeps access: lockdown's member role (to release) and the configured break-glass principals. */
  exempt: string[];
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: unknown;
}
type Statement = { Sid?: string } & Record<string, unknown>;

const statementsOf = (document: PolicyDocument): Statement[] =>
  Array.isArray(document.Statement) ? (document.Statement as Statement[]) : document.Statement ? [document.Statement as Statement] : [];

/** Every principal is denied everything on the bucket and its objects, except those exempt (by `aws:PrincipalArn`). */
export function denyStatement(bucketArn: string, exempt: string[], sid = DENY_SID): Statement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
  };
}

/** JSON with object keys sorted: the same statement, however S3 or an editor ordered it. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

/**
 * lockdown's statement is exactly what denyStatement writes, under lockdown's Sid or one with a
 * suffix: a statement that only carries the Sid (its Sid is in the README) is the bucket's own.
 */
const isOwnDeny = (statement: Statement, bucketArn: string, exempt: string[]) =>
  typeof statement.Sid === 'string' &&
  statement.Sid.startsWith(DENY_SID) &&
  canonical(statement) === canonical(denyStatement(bucketArn, exempt, statement.Sid));

/** lockdown's Sid, or, when a statement lockdown did not write already holds it, the first free one with a number. */
export function freeSid(policy: string | null): string {
  const taken = new Set(policy === null ? [] : statementsOf(JSON.parse(policy) as PolicyDocument).map((s) => s.Sid));
  let sid = DENY_SID;
  for (let n = 2; taken.has(sid); n++) sid = `${DENY_SID}${n}`;
  return sid;
}

/** The policy without lockdown's own statement (what release restores), or null when nothing else is in it. */
export function withoutDeny(policy: string | null, bucketArn: string, exempt: string[]): string | null {
  if (policy === null) return null;
  const document = JSON.parse(policy) as PolicyDocument;
  const statements = statementsOf(document);
  if (!statements.some((s) => isOwnDeny(s, bucketArn, exempt))) return policy;
  const others = statements.filter((s) => !isOwnDeny(s, bucketArn, exempt));
  return others.length === 0 ? null : JSON.stringify({ ...document, Statement: others });
}

/**
 * The bucket policy during containment: the existing one with lockdown's statement added, or
 * lockdown's statement alone when both do not fit S3's 20 KB (the original is kept whole in the
 * ledger and restored on release either way).
 */
export function containmentPolicy(original: string | null, deny: Statement): { document: string; replaced: boolean } {
  const base = original === null ? {} : (JSON.parse(original) as PolicyDocument);
  const merged = JSON.stringify({ ...base, Version: base.Version ?? '2012-10-17', Statement: [...statementsOf(base), deny] });
  if (new TextEncoder().encode(merged).length <= MAX_BUCKET_POLICY_BYTES) return { document: merged, replaced: false };
  return { document: JSON.stringify({ Version: '2012-10-17', Statement: [deny] }), replaced: true };
}

/** lockdown's statement in the document a bucket-policy step puts (the one under the step's Sid). */
export function denyOf(document: string, sid: string): Statement | undefined {
  return statementsOf(JSON.parse(document) as PolicyDocument).find((s) => s.Sid === sid);
}

/** Whether the policy holds exactly lockdown's statement (never merely a statement with its Sid). */
export function hasDeny(policy: string | null, deny: Statement | undefined): boolean {
  return (
    deny !== undefined &&
    policy !== null &&
    statementsOf(JSON.parse(policy) as PolicyDocument).some((s) => canonical(s) === canonical(deny))
  );
}

export const allBlocked = (pab: PublicAccessBlock | null): boolean =>
  pab !== null && pab.BlockPublicAcls && pab.IgnorePublicAcls && pab.BlockPublicPolicy && pab.RestrictPublicBuckets;

/**
 * Plans the containment of a bucket. Pure.
 * 1. (stage 0) the deny statement, merged into the bucket policy (first effect), under lockdown's
 *    Sid, or a numbered one when a statement lockdown did not write holds it (kept, and restored);
 * 2. (stage 1, in parallel) Block Public Access all on (after the policy: with BlockPublicPolicy on,
 *    S3 refuses a policy that grants public access, as an existing one may), ACLs off
 *    (BucketOwnerEnforced), and the containment tag.
 */
export function planS3Containment(observed: ObservedBucket, options: S3PlanOptions): PlannedStep[] {
  const original = withoutDeny(observed.policy, observed.arn, options.exempt);
  const sid = freeSid(original);
  const { document, replaced } = containmentPolicy(original, denyStatement(observed.arn, options.exempt, sid));
  const steps: PlannedStep[] = [
    kinds.bucketPolicy.step(
      {
        id: 'deny-bucket-policy',
        description: replaced
          ? `Replace the bucket policy of ${observed.name} with a deny of every principal but lockdown's (the existing policy and the deny exceed 20 KB; the existing one is kept for release)`
          : `Add a deny of every principal but lockdown's to the bucket policy of ${observed.name}`,
        stage: 0,
        original,
        calls: { apply: ['s3:PutBucketPolicy'], undo: [original === null ? 's3:DeleteBucketPolicy' : 's3:PutBucketPolicy'] },
      },
      { bucket: observed.name, document, sid },
    ),
  ];
  if (!allBlocked(observed.publicAccessBlock))
    steps.push(
      kinds.publicAccessBlock.step(
        {
          id: 'block-public-access',
          description: `Turn on every Block Public Access setting of ${observed.name}`,
          stage: 1,
          original: observed.publicAccessBlock ? { ...observed.publicAccessBlock } : null,
          calls: {
            apply: ['s3:PutBucketPublicAccessBlock'],
            // IAM actions: deleting the configuration needs s3:PutBucketPublicAccessBlock.
            undo: ['s3:PutBucketPublicAccessBlock'],
          },
        },
        { bucket: observed.name },
      ),
    );
  if (observed.ownership !== OWNER_ENFORCED)
    steps.push(
      kinds.objectOwnership.step(
        {
          id: 'disable-acls',
          description: `Turn ACLs off on ${observed.name} (object ownership ${OWNER_ENFORCED}; was ${observed.ownership ?? 'not set'})`,
          stage: 1,
          original: observed.ownership,
          calls: {
            apply: ['s3:PutBucketOwnershipControls'],
            undo: ['s3:PutBucketOwnershipControls'],
          },
        },
        { bucket: observed.name },
      ),
    );
  steps.push(
    kinds.bucketTag.step(
      {
        id: 'tag',
        description: `Tag ${observed.name} ${CONTAINMENT_TAG}=${options.requestId}`,
        stage: 1,
        original: observed.tags,
        calls: { apply: ['s3:PutBucketTagging'], undo: ['s3:PutBucketTagging'] },
      },
      // S3 replaces a bucket's whole tag set: the step writes the existing tags with lockdown's.
      { bucket: observed.name, tags: { ...(observed.tags ?? {}), [CONTAINMENT_TAG]: options.requestId } },
    ),
  );
  return steps;
}

/** The bucket is contained when lockdown's own deny (the recorded step's statement) is in its policy. */
export function s3ContainmentGaps(observed: ObservedBucket, steps: readonly PlannedStep[]): string[] {
  const step = steps.find((s) => s.kind === kinds.bucketPolicy.kind);
  const params = step ? kinds.bucketPolicy.paramsOf(step) : undefined;
  const sid = params?.sid ?? DENY_SID;
  const deny = params?.document ? denyOf(params.document, sid) : undefined;
  return hasDeny(observed.policy, deny) ? [] : [`lockdown's deny statement ${sid} is missing from the bucket policy of ${observed.name}`];
}

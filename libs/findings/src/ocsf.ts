import { array, looseObject, minLength, number, optional, string, unknown as zUnknown } from 'zod/mini';
import type { z } from 'zod/mini';
import type { FindingRef } from '@lockdown/contracts';
import { ATTACK_SEQUENCES, AttackSequenceType } from './attack-sequence';
import { FindingEntities, accessKeyEntity, entityOf, mergeEntities } from './entities-of-finding';

/**
 * The parts of an OCSF finding lockdown reads, as the new Security Hub delivers it (EventBridge
 * `Findings Imported V2`, one finding per event: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-v2-cwe-event-formats.html;
 * attributes: "OCSF findings in Security Hub"). Other fields pass through.
 */
const OcsfResourceSchema = looseObject({
  type: optional(string()),
  uid: optional(string()),
  name: optional(string()),
  region: optional(string()),
  cloud_partition: optional(string()),
  owner: optional(looseObject({ account: optional(looseObject({ uid: optional(string()) })) })),
  /** The resource's details; for an access key GuardDuty's `user_name`, `user_type`, `principal_id`. */
  data: optional(zUnknown()),
});

export const OcsfFindingSchema = looseObject({
  metadata: looseObject({
    uid: string().check(minLength(1)),
    product: looseObject({ uid: string().check(minLength(1)), name: optional(string()) }),
  }),
  finding_info: looseObject({
    uid: string().check(minLength(1)),
    title: optional(string()),
    types: optional(array(string())),
    /** When the activity was first seen: a date-time, or epoch milliseconds (read leniently: `firstSeenOf`). */
    first_seen_time_dt: optional(zUnknown()),
    first_seen_time: optional(zUnknown()),
  }),
  cloud: looseObject({
    account: looseObject({ uid: string().check(minLength(1)) }),
    region: optional(string()),
    cloud_partition: optional(string()),
  }),
  severity_id: optional(number()),
  status_id: optional(number()),
  activity_id: optional(number()),
  compliance: optional(looseObject({ control: optional(string()) })),
  resources: optional(array(OcsfResourceSchema)),
});
export type OcsfFinding = z.infer<typeof OcsfFindingSchema>;

/**
 * The products whose OCSF findings lockdown reads, by the product's uid in Security Hub
 * (`arn:<partition>:securityhub:<region>::productv2/aws/<name>`): only AWS sets an `aws/` product,
 * so a finding imported by anyone else cannot name what lockdown contains.
 */
export const OCSF_PRODUCTS = { guardduty: 'GuardDuty', securityhub: 'Security Hub CSPM' } as const;
export type OcsfProduct = keyof typeof OCSF_PRODUCTS;
const PRODUCT_UID = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+::productv2\/aws\/([a-z-]+)$/;

/** The product of an OCSF finding, if lockdown reads it. */
export function ocsfProductOf(finding: OcsfFinding): OcsfProduct | undefined {
  const name = PRODUCT_UID.exec(finding.metadata.product.uid)?.[1];
  return name && name in OCSF_PRODUCTS ? (name as OcsfProduct) : undefined;
}

/**
 * OCSF `status_id`s and `activity_id` Close: a finding nobody should act on any more. In Progress
 * too: lockdown's own note sets it, and every BatchUpdateFindingsV2 update emits the finding again
 * as a Findings Imported V2 event ("EventBridge event formats for Security Hub"); acting on that
 * event again would loop, one containment request per note, for as long as the finding lives.
 */
const INACTIVE_STATUS: Record<number, string> = {
  2: 'In Progress (already acted on: lockdown noted it, or a responder took it)',
  3: 'Suppressed',
  4: 'Resolved',
  5: 'Archived',
};
const CLOSE_ACTIVITY = 3;

export function ocsfInactive(finding: OcsfFinding): string | undefined {
  if (finding.status_id !== undefined && INACTIVE_STATUS[finding.status_id]) return INACTIVE_STATUS[finding.status_id];
  return finding.activity_id === CLOSE_ACTIVITY ? 'Closed' : undefined;
}

/**
 * OCSF `severity_id` (1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal) on GuardDuty's
 * scale, at the lowest value of GuardDuty's band (Low from 1, Medium from 4, High from 7, Critical from 9):
 * a policy's minimum severity is never met by rounding up.
 */
const SEVERITY_FLOOR: Record<number, number> = { 1: 0, 2: 1, 3: 4, 4: 7, 5: 9, 6: 10 };
export const ocsfSeverity = (finding: OcsfFinding): number => SEVERITY_FLOOR[finding.severity_id ?? 0] ?? 0;

/** A GuardDuty finding type (`ThreatPurpose:ResourceTypeAffected/ThreatFamilyName...`). */
const GUARDDUTY_TYPE = /^[A-Za-z]+:[A-Za-z0-9]+\/.+/;

/** The type a policy rule matches: GuardDuty's finding type, a control's id (e.g. `S3.8`), or the first type. */
export function ocsfType(finding: OcsfFinding): string {
  const types = finding.finding_info.types ?? [];
  return types.find((t) => GUARDDUTY_TYPE.test(t)) ?? finding.compliance?.control ?? types[0] ?? '';
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const dataOf = (resource: z.infer<typeof OcsfResourceSchema>) =>
  typeof resource.data === 'object' && resource.data !== null ? (resource.data as Record<string, unknown>) : {};

/** The ASFF resource types (Security Hub CSPM's) and CloudFormation's, as OCSF resources carry them. */
const ACCESS_KEY = ['AWS::IAM::AccessKey', 'AwsIamAccessKey'];
const INSTANCE = ['AWS::EC2::Instance', 'AwsEc2Instance'];
const BUCKET = ['AWS::S3::Bucket', 'AwsS3Bucket'];
const SEQUENCE_RESOURCES = {
  credentials: [...ACCESS_KEY, 'AWS::IAM::User', 'AwsIamUser', 'AWS::IAM::Role', 'AwsIamRole'],
  instances: INSTANCE,
  buckets: BUCKET,
};

/**
 * What an OCSF finding names: access keys' users or role sessions, instances (by ARN or id),
 * buckets (by ARN or name, with their owner), and any resource whose uid is the ARN of an entity
 * lockdown supports; a reason for each it skips.
 */
export function ocsfEntities(finding: OcsfFinding): FindingEntities {
  const account = finding.cloud.account.uid;
  // An attack sequence lists its context too (a credentials sequence the buckets it read): only its targets are contained.
  const known = (ATTACK_SEQUENCES as Record<string, (typeof ATTACK_SEQUENCES)[AttackSequenceType]>)[ocsfType(finding)];
  const targets = known && 'targets' in known ? SEQUENCE_RESOURCES[known.targets] : undefined;
  return mergeEntities(
    (finding.resources ?? [])
      .filter((r) => !targets || targets.includes(r.type ?? ''))
      .map((resource) => {
        const partition = resource.cloud_partition ?? finding.cloud.cloud_partition ?? 'aws';
        const owner = resource.owner?.account?.uid ?? account;
        const type = resource.type ?? '(no type)';
        const uid = resource.uid ?? resource.name ?? '';
        if (ACCESS_KEY.includes(type)) {
          const data = dataOf(resource);
          return accessKeyEntity(
            { type: text(data['user_type']), name: text(data['user_name']) ?? resource.name, principalId: text(data['principal_id']) },
            partition,
            owner,
          );
        }
        if (INSTANCE.includes(type) && /^i-[0-9a-f]{8,17}$/.test(uid))
          return entityOf(`arn:${partition}:ec2:${resource.region ?? finding.cloud.region ?? ''}:${owner}:instance/${uid}`);
        if (BUCKET.includes(type)) return entityOf(uid.startsWith('arn:') ? uid : `arn:${partition}:s3:::${uid}`, owner);
        if (!uid.startsWith('arn:')) return { entities: [], unsupported: [`${type} ${uid || '(no uid)'}: not an ARN`] };
        return entityOf(uid);
      }),
  );
}

/** Where lockdown writes back to an OCSF finding: its `metadata.uid`, with its product (BatchUpdateFindingsV2). */
export const ocsfRef = (finding: OcsfFinding): FindingRef => ({ id: finding.metadata.uid, productArn: finding.metadata.product.uid });

/** A finding the new Security Hub holds (its product's `productv2` ARN): notes go through BatchUpdateFindingsV2. */
export const isOcsfRef = (ref: FindingRef) => ref.productArn.includes(':productv2/');

import { array, looseObject, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import { FindingEntities, accessKeyEntity, entityOf, mergeEntities } from './entities-of-finding';

/**
 * GuardDuty Extended Threat Detection's attack sequences (one Critical finding for a whole attack)
 * and what lockdown contains of each: AWS documents five (GuardDuty User Guide, "GuardDuty attack
 * sequence finding types", https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-attack-sequence-finding-types.html).
 * `targets` is what lockdown reads from the sequence's actors and resources; none: it contains
 * nothing the sequence is about, and `why` says so. The default policy's row for each is in policy.ts.
 */
export const ATTACK_SEQUENCES = {
  /** The actors' IAM users and role sessions, and the access keys' owners. */
  'AttackSequence:IAM/CompromisedCredentials': { targets: 'credentials' },
  /** Every instance of the group (shared ASG, instance profile, stack, launch template, image or VPC). */
  'AttackSequence:EC2/CompromisedInstanceGroup': { targets: 'instances' },
  /** The buckets whose data was reached. */
  'AttackSequence:S3/CompromisedData': { targets: 'buckets' },
  'AttackSequence:EKS/CompromisedCluster': { why: 'an EKS cluster and its workloads (lockdown contains no cluster, pod or container)' },
  'AttackSequence:ECS/CompromisedCluster': { why: 'an ECS cluster and its tasks (lockdown contains no cluster, task or container)' },
} as const satisfies Record<string, { targets: 'credentials' | 'instances' | 'buckets' } | { why: string }>;
export type AttackSequenceType = keyof typeof ATTACK_SEQUENCES;

/** An attack sequence's actor (GuardDuty API `Actor`: its user and session), as EventBridge delivers it (camelCase). */
const ActorSchema = looseObject({
  id: optional(string()),
  user: optional(
    looseObject({
      name: optional(string()),
      uid: optional(string()),
      type: optional(string()),
      account: optional(looseObject({ uid: optional(string()) })),
    }),
  ),
  session: optional(looseObject({ uid: optional(string()) })),
});

/** An attack sequence's resource (GuardDuty API `ResourceV2`); `data` holds the type's details. */
const ResourceV2Schema = looseObject({
  uid: optional(string()),
  name: optional(string()),
  accountId: optional(string()),
  resourceType: string(),
  region: optional(string()),
  cloudPartition: optional(string()),
  data: optional(
    looseObject({
      accessKey: optional(looseObject({ principalId: optional(string()), userName: optional(string()), userType: optional(string()) })),
    }),
  ),
});

/** GuardDuty API `Sequence` (`service.detection.sequence`): the parts lockdown reads. */
export const SequenceSchema = looseObject({
  uid: optional(string()),
  actors: optional(array(ActorSchema)),
  resources: optional(array(ResourceV2Schema)),
});
export type Sequence = z.infer<typeof SequenceSchema>;

/** Where the finding was made: the defaults of resources and actors that do not say. */
export interface SequenceContext {
  partition: string;
  accountId: string;
  region: string;
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const IDENTITY_CENTER = /identity.?center|sso/i;

/** An actor as GuardDuty (camelCase) and, renamed, ASFF's `Detection.Sequence.Actors` carry it. */
export type SequenceActor = z.infer<typeof ActorSchema>;

/** An actor's user or role session; an Identity Center user is named with the reason lockdown cannot contain it. */
export function actorEntity(actor: SequenceActor, at: Pick<SequenceContext, 'partition' | 'accountId'>): FindingEntities {
  const user = actor.user;
  if (user?.type && IDENTITY_CENTER.test(user.type))
    return {
      entities: [],
      unsupported: [
        `the IAM Identity Center user ${user.name ?? user.uid ?? actor.id ?? ''} (lockdown has no identity-center-user entity here: contain it in Identity Center)`,
      ],
    };
  // An assumed role's session is `<role id>:<session>`: the user's uid, or the session's.
  const principalId = [user?.uid, actor.session?.uid].find((id) => id?.includes(':'));
  return accessKeyEntity({ type: user?.type, name: user?.name, principalId }, at.partition, user?.account?.uid ?? at.accountId);
}

/**
 * Instance ids anywhere in a resource: an EC2_INSTANCE's uid (an ARN or an id), and the
 * `ec2InstanceUids` GuardDuty lists under an instance group's ASG, launch template, instance
 * profile, image, VPC or stack (API `ResourceData`).
 */
function instanceIdsOf(resource: z.infer<typeof ResourceV2Schema>): string[] {
  const own = resource.resourceType === 'EC2_INSTANCE' ? [resource.uid?.split('/').pop() ?? ''] : [];
  const listed = Object.values(resource.data ?? {}).flatMap((detail) => {
    const uids = typeof detail === 'object' && detail !== null ? (detail as { ec2InstanceUids?: unknown }).ec2InstanceUids : undefined;
    return Array.isArray(uids) ? uids.filter((u): u is string => typeof u === 'string') : [];
  });
  return [...own, ...listed];
}

function instanceEntities(resources: Sequence['resources'], at: SequenceContext): FindingEntities {
  return mergeEntities(
    (resources ?? []).flatMap((r) =>
      instanceIdsOf(r).map((id) =>
        INSTANCE_ID.test(id)
          ? entityOf(`arn:${r.cloudPartition ?? at.partition}:ec2:${r.region ?? at.region}:${r.accountId ?? at.accountId}:instance/${id}`)
          : { entities: [], unsupported: [`an instance of the group named ${JSON.stringify(id.slice(0, 64))}, not an instance id`] },
      ),
    ),
  );
}

function bucketEntities(resources: Sequence['resources'], at: SequenceContext): FindingEntities {
  return mergeEntities(
    (resources ?? [])
      .filter((r) => r.resourceType === 'S3_BUCKET')
      .map((r) => {
        const name = r.name ?? r.uid ?? '';
        const arn = name.startsWith('arn:') ? name : `arn:${r.cloudPartition ?? at.partition}:s3:::${name}`;
        return entityOf(arn, r.accountId ?? at.accountId);
      }),
  );
}

function credentialEntities(sequence: Sequence, at: SequenceContext): FindingEntities {
  const keys = (sequence.resources ?? [])
    .filter((r) => r.resourceType === 'ACCESS_KEY')
    .map((r) =>
      accessKeyEntity(
        { type: r.data?.accessKey?.userType, name: r.data?.accessKey?.userName, principalId: r.data?.accessKey?.principalId },
        r.cloudPartition ?? at.partition,
        r.accountId ?? at.accountId,
      ),
    );
  return mergeEntities([...(sequence.actors ?? []).map((a) => actorEntity(a, at)), ...keys]);
}

/** What an attack sequence finding of this type names that lockdown contains, and why it skips the rest. */
export function sequenceEntities(type: string, sequence: Sequence | undefined, at: SequenceContext): FindingEntities {
  const known = (ATTACK_SEQUENCES as Record<string, (typeof ATTACK_SEQUENCES)[AttackSequenceType]>)[type];
  if (!known)
    return {
      entities: [],
      unsupported: [`${type}: an attack sequence lockdown does not know (it reads ${Object.keys(ATTACK_SEQUENCES).join(', ')})`],
    };
  if (!('targets' in known)) return { entities: [], unsupported: [`${type}: ${known.why}`] };
  if (!sequence) return { entities: [], unsupported: [`${type} without its sequence (service.detection.sequence)`] };
  switch (known.targets) {
    case 'credentials':
      return credentialEntities(sequence, at);
    case 'instances':
      return instanceEntities(sequence.resources, at);
    case 'buckets':
      return bucketEntities(sequence.resources, at);
  }
}

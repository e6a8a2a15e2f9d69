/** Every tag lockdown writes starts with this; the member role may write no other key. */
export const TAG_PREFIX = 'lockdown:';
/** On every entity lockdown contains: the request id that contained it. */
export const CONTAINMENT_TAG = `${TAG_PREFIX}containment`;
/**
 * On a role that carries lockdown's credential deny for one of its users (a function, an instance):
 * the organization guard freezes the role's policies, while the role keeps working for the others.
 */
export const GUARD_TAG = `${TAG_PREFIX}guarded`;
/** On the security groups lockdown creates and may change. */
export const MANAGED_TAG = `${TAG_PREFIX}managed`;
/** On the security groups lockdown creates: which of its kinds (untracked, isolation) the group is. */
export const GROUP_KIND_TAG = `${TAG_PREFIX}group-kind`;
/** On a forensic snapshot: the instance it was taken of, and the request that took it. */
export const EVIDENCE_OF_TAG = `${TAG_PREFIX}evidence-of`;
export const REQUEST_TAG = `${TAG_PREFIX}request`;

/**
 * Every tag key lockdown writes: a fixed set, so the organization guard can name them exactly with
 * IAM's case-insensitive operators (IAM tag keys are case-insensitive; there is no case-insensitive
 * prefix match). A new key lockdown writes belongs here.
 */
export const LOCKDOWN_TAG_KEYS: readonly string[] = [CONTAINMENT_TAG, GUARD_TAG, MANAGED_TAG, GROUP_KIND_TAG, EVIDENCE_OF_TAG, REQUEST_TAG];

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

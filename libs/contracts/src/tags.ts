/** Every tag lockdown writes starts with this; the member role may write no other key. */
export const TAG_PREFIX = 'lockdown:';
/** On every entity lockdown contains: the request id that contained it. */
export const CONTAINMENT_TAG = `${TAG_PREFIX}containment`;
/** On the security groups lockdown creates and may change. */
export const MANAGED_TAG = `${TAG_PREFIX}managed`;

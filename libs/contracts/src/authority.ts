import type { Action } from './ingress';

/**
 * Who may ask for what, enforced by AWS: each authority is a topic with its own topic policy
 * (its own publishers). Containment comes through the ingress topic, release through the release
 * topic. The intake learns a request's authority from the SNS record's `TopicArn`, which SNS sets
 * and no publisher can.
 */
export const AUTHORITIES = {
  ingress: { topicName: 'lockdown-ingress', action: 'contain', label: 'the ingress topic' },
  release: { topicName: 'lockdown-release', action: 'release', label: 'the release topic' },
} as const satisfies Record<string, { topicName: string; action: Action; label: string }>;
export type Authority = keyof typeof AUTHORITIES;
export const AUTHORITY_NAMES = Object.keys(AUTHORITIES) as [Authority, ...Authority[]];

/** The one authority that may request this action. */
export const authorityFor = (action: Action): Authority => (action === 'release' ? 'release' : 'ingress');

/**
 * Who authorized a request, in the words of its audit email. A release that names a finding came
 * from the Security Hub release action (the triggers publish it to the release topic, with the finding).
 */
export function describeAuthority(authority: Authority, action: Action | undefined, finding: { id: string } | undefined): string {
  const { label, topicName } = AUTHORITIES[authority];
  return action === 'release' && authority === 'release' && finding
    ? `the Security Hub release action on finding ${finding.id}, through ${label} (${topicName})`
    : `${label} (${topicName})`;
}

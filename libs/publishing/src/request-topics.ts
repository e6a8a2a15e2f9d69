import { AUTHORITIES, Action, authorityFor } from '@lockdown/contracts';

/** Where a publisher sends requests: containments to the ingress topic, releases to the release topic (a releaser's only). */
export interface RequestTopics {
  ingress: string;
  release?: string;
}

/** The topic of the authority that may request this action; a publisher without the release topic cannot release. */
export function topicFor(action: Action, topics: RequestTopics, missing = 'this publisher has no release topic'): string {
  const topic = topics[authorityFor(action)];
  if (!topic)
    throw new Error(`${missing}: releases go to the release topic (${AUTHORITIES.release.topicName}), which only releasers may publish to`);
  return topic;
}

import type { ObservedBucket } from '../domain/observed';
import { DENY_SID, denyOf, hasDeny } from '../domain/plan';
import * as kinds from '../domain/step-kinds';
import type { BucketContext } from './context';

export const bucketPolicy = kinds.bucketPolicy.implement<BucketContext, ObservedBucket>({
  apply: ({ api }, p) => api.putPolicy(p.document),
  undo: ({ api }, _p, step) => (step.original === null ? api.deletePolicy() : api.putPolicy(String(step.original))),
  inEffect: (state, p) => hasDeny(state.policy, denyOf(p.document, p.sid ?? DENY_SID)),
});

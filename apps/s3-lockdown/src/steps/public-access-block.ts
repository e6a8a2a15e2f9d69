import type { ObservedBucket, PublicAccessBlock } from '../domain/observed';
import { ALL_BLOCKED, allBlocked } from '../domain/plan';
import * as kinds from '../domain/step-kinds';
import type { BucketContext } from './context';

export const publicAccessBlock = kinds.publicAccessBlock.implement<BucketContext, ObservedBucket>({
  apply: ({ api }) => api.putPublicAccessBlock(ALL_BLOCKED),
  undo: ({ api }, _p, step) =>
    step.original === null ? api.deletePublicAccessBlock() : api.putPublicAccessBlock(step.original as unknown as PublicAccessBlock),
  inEffect: (state) => allBlocked(state.publicAccessBlock),
});

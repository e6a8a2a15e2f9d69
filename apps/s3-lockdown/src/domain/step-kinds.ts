// The kinds of step a bucket's plan is made of: each one's name and params (one zod schema, the
// params type inferred from it). plan.ts builds every step through them (`import * as kinds from
// './step-kinds'`, then `kinds.<kind>.step(fields, params)`); steps/ implements each kind in its own file.
import { declareStepKind } from '@lockdown/containment';
import { object, optional, record, string } from 'zod/mini';

/**
 * Lockdown's deny in the bucket policy; release puts the original policy back whole (or deletes it
 * when there was none). sid: the Sid of lockdown's statement in the document (absent in records
 * made before it could differ).
 */
export const bucketPolicy = declareStepKind('bucket-policy', object({ bucket: string(), document: string(), sid: optional(string()) }));

/** Every Block Public Access setting on; release restores the previous settings, or none. */
export const publicAccessBlock = declareStepKind('public-access-block', object({ bucket: string() }));

/** ACLs off (BucketOwnerEnforced); release restores the previous rule, or none. */
export const objectOwnership = declareStepKind('object-ownership', object({ bucket: string() }));

/** The containment tag; S3 replaces a bucket's whole tag set, so release puts the previous set back (or none). */
export const bucketTag = declareStepKind('bucket-tag', object({ bucket: string(), tags: record(string(), string()) }));

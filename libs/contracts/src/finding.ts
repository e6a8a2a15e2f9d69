import { maxLength, minLength, object, string } from 'zod/mini';
import type { z } from 'zod/mini';

/**
 * The Security Hub finding a request came from: an ASFF finding's AwsSecurityFindingIdentifier (its
 * `Id` and `ProductArn`), or an OCSF finding of the new Security Hub (its `metadata.uid` and
 * `metadata.product.uid`, a `productv2` ARN: lockdown writes back with BatchUpdateFindingsV2).
 * Carried by the request, the dispatch message and every audit record and outcome event of that
 * request, so the outcome can be written back to the finding.
 */
export const FindingRefSchema = object({
  id: string().check(minLength(1), maxLength(512)),
  productArn: string().check(minLength(1), maxLength(512)),
});
export type FindingRef = z.infer<typeof FindingRefSchema>;

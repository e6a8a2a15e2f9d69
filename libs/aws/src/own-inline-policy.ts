import { ForeignNameError } from '@lockdown/containment';

/** The same policy, whatever its whitespace: IAM returns a document URL-encoded (RFC 3986) and may reformat it. */
export const sameDocument = (a: string, b: string) => JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));

/**
 * Puts lockdown's inline policy, unless a policy of that name that lockdown did not write is
 * there: PutUserPolicy/PutRolePolicy would overwrite it, and the release would delete it. Such a
 * policy is kept as it is (ForeignNameError, never retried). One that holds exactly lockdown's
 * document is lockdown's own (an earlier delivery) and is put again.
 * `read` answers the stored document as IAM returns it (URL-encoded), or undefined when there is none.
 */
export async function putOwnInlinePolicy(of: {
  where: string;
  name: string;
  document: string;
  read: () => Promise<string | undefined>;
  put: () => Promise<void>;
}): Promise<void> {
  const stored = await of.read();
  if (stored !== undefined && !sameDocument(decodeURIComponent(stored), of.document))
    throw new ForeignNameError(
      `${of.where} already has an inline policy named ${of.name} that lockdown did not write: lockdown keeps it as it is (never overwrites nor deletes it) and does not count it as its deny`,
    );
  await of.put();
}

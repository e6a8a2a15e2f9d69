// Messages in English wherever a zod error is formatted (zod/mini ships none).
import './zod-messages';

/** What lockdown reads of a zod issue (zod and zod/mini issues alike). */
export interface ZodIssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

export interface IssueFormat {
  /** At most this many issues (the first ones); all by default. */
  limit?: number;
  /** What an issue without a path is about (`body`, `params`); unnamed by default. */
  root?: string;
}

/** One issue as a reason: `path: message`, the path said once when the message already starts with it. */
function issueText(issue: ZodIssueLike, root: string | undefined): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : root;
  const what = issue.code === 'unrecognized_keys' && issue.keys ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
  if (where === undefined || what.startsWith(`${where} `)) return what;
  return `${where}: ${what}`;
}

/**
 * The one way lockdown turns a zod error into the reason an audit record, a refusal or a
 * configuration error gives: every issue (or the first `limit`), each with where it is, `; `-joined.
 */
export function formatIssues(error: { readonly issues: readonly ZodIssueLike[] }, format: IssueFormat = {}): string {
  const issues = error.issues.slice(0, format.limit ?? error.issues.length);
  return issues.length > 0 ? issues.map((issue) => issueText(issue, format.root)).join('; ') : 'invalid (no detail)';
}

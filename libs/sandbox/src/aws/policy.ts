/** A tiny IAM policy evaluator: enough to tell whether a principal's calls would be denied. */
export interface RequestContext {
  /** `lambda:SourceFunctionArn` of credentials issued to a function. */
  sourceFunctionArn?: string;
  /** `ec2:SourceInstanceARN` of credentials issued to an instance. */
  sourceInstanceArn?: string;
  /** `aws:TokenIssueTime` of the session. */
  tokenIssueTime?: string;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const KEYS: Record<string, keyof RequestContext> = {
  'lambda:sourcefunctionarn': 'sourceFunctionArn',
  'ec2:sourceinstancearn': 'sourceInstanceArn',
  'aws:tokenissuetime': 'tokenIssueTime',
};

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

function conditionHolds(condition: Statement['Condition'], context: RequestContext): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => {
      const field = KEYS[key.toLowerCase()];
      const actual = field ? context[field] : undefined;
      if (actual === undefined) return false;
      const values = list(expected);
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return values.includes(actual);
        case 'StringLike':
        case 'ArnLike':
          return values.some((v) => glob(v, actual));
        case 'DateLessThan':
          return values.some((v) => Date.parse(actual) < Date.parse(v));
        default:
          return false;
      }
    }),
  );
}

/** Whether a policy document denies every action for this request context. */
export function deniesEverything(document: string, context: RequestContext): boolean {
  const parsed = JSON.parse(document) as { Statement?: Statement | Statement[] };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return statements.some(
    (s) => s.Effect === 'Deny' && list(s.Action).includes('*') && list(s.Resource).includes('*') && conditionHolds(s.Condition, context),
  );
}

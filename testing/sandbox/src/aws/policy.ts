import { IdentityPolicy, decide } from './authorization';
import { IamPrincipalState } from './state';

/** The condition keys of credentials that lockdown's denies are conditioned on. */
export interface RequestContext {
  /** `lambda:SourceFunctionArn` of credentials issued to a function. */
  sourceFunctionArn?: string;
  /** `ec2:SourceInstanceARN` of credentials issued to an instance. */
  sourceInstanceArn?: string;
  /** `aws:TokenIssueTime` of the session. */
  tokenIssueTime?: string;
  /** `aws:userid` of a role session: `<role id>:<session name>`. */
  userId?: string;
}

const statement = (Effect: 'Allow' | 'Deny') => ({ Version: '2012-10-17', Statement: [{ Effect, Action: '*', Resource: '*' }] });
/** AWS-managed policies whose documents matter to the sandbox's decisions. */
const MANAGED_DOCUMENTS: Record<string, object> = { AWSDenyAll: statement('Deny'), AdministratorAccess: statement('Allow') };

/** A principal's identity policies as IAM evaluates them: inline documents and known managed ones. */
export function policiesOf(principal: { attached: readonly string[]; inline: Record<string, object | string> }): IdentityPolicy[] {
  const managed = principal.attached
    .map((arn) => arn.slice(arn.lastIndexOf('/') + 1))
    .filter((name) => name in MANAGED_DOCUMENTS)
    .map((name) => ({ name, policy: MANAGED_DOCUMENTS[name] }));
  const inline = Object.entries(principal.inline).map(([name, document]) => ({
    name,
    policy: typeof document === 'string' ? parsed(document) : document,
  }));
  return [...managed, ...inline];
}

/** Documents parsed once (every authorized call reads its principal's): the same object for the same text, never mutated. */
const documents = new Map<string, object>();
function parsed(text: string): object {
  let document = documents.get(text);
  if (!document) {
    if (documents.size > 10_000) documents.clear();
    documents.set(text, (document = JSON.parse(text) as object));
  }
  return document;
}

export const identityPolicies = (principal: IamPrincipalState): IdentityPolicy[] =>
  policiesOf({ attached: principal.attached, inline: Object.fromEntries(principal.inline) });

/**
 * A permissions boundary as IAM evaluates it (nothing outside it is allowed): undefined for none,
 * or for a policy whose document the sandbox does not know (as with attached policies, it then
 * leaves it out rather than guess).
 */
export function boundaryPolicies(policyArn: string | undefined): IdentityPolicy[] | undefined {
  const [policy] = policyArn ? policiesOf({ attached: [policyArn], inline: {} }) : [];
  return policy ? [policy] : undefined;
}

/** Full access without conditions (the sandbox's fixture role). */
export const isAdministrator = (policies: IdentityPolicy[]) => policies.some((p) => p.name === 'AdministratorAccess');

/**
 * Whether these policies deny every call of credentials with this context, per iam-simulate:
 * any action on any resource (an S3 read stands for "anything") is explicitly denied.
 */
export async function deniesEverything(
  principalArn: string,
  policies: IdentityPolicy[],
  context: RequestContext = {},
  /** The principal's permissions boundary (boundaryPolicies), if any. */
  boundary?: IdentityPolicy[],
): Promise<boolean> {
  const accountId = principalArn.split(':')[4] ?? '';
  const keys = {
    ...(context.sourceFunctionArn ? { 'lambda:SourceFunctionArn': context.sourceFunctionArn } : {}),
    ...(context.sourceInstanceArn ? { 'ec2:SourceInstanceARN': context.sourceInstanceArn } : {}),
    ...(context.tokenIssueTime ? { 'aws:TokenIssueTime': context.tokenIssueTime } : {}),
    ...(context.userId ? { 'aws:userid': context.userId } : {}),
  };
  const decision = await decide(
    principalArn,
    accountId,
    policies,
    { action: 's3:GetObject', resource: 'arn:aws:s3:::any-bucket/any-object', context: keys },
    [],
    boundary,
  );
  return decision === 'ExplicitlyDenied';
}

const texts = new WeakMap<object, string>();
/** A document's JSON text, made once per document (what a policy reads is looked up in it on every authorized call). */
export function documentText(document: unknown): string {
  if (typeof document !== 'object' || document === null) return JSON.stringify(document) ?? '';
  let text = texts.get(document);
  if (text === undefined) texts.set(document, (text = JSON.stringify(document)));
  return text;
}

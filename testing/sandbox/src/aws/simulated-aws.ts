import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { memberRolePolicy } from '@lockdown/contracts';
import { setTimeout as delay } from 'node:timers/promises';
import { CallContext, ServiceHandlers, newId } from './context';
import { FAULTS, FaultName, SandboxAwsError, WireResponse, awsError, wireErrorResponse } from './errors';
import { autoScalingHandlers } from './autoscaling';
import { ec2Handlers } from './ec2';
import { elbv2Handlers } from './elbv2';
import { RESERVED_SSO_PATH, iamHandlers } from './iam';
import { IdentityCenterState, identityCenterHandlers, newIdentityCenter, reaches, reservedRoleName } from './identity-center';
import { lambdaHandlers } from './lambda';
import { AUTHORIZATIONS, AuthorizationRecord, IdentityPolicy, decide } from './authorization';
import { RequestContext, boundaryPolicies, deniesEverything, documentText, identityPolicies, isAdministrator } from './policy';
import { AccountState, IamPrincipalState, IamUserState, newAccount } from './state';
import { AuthorizationInputs, IamPropagation, authorizationInputs } from './iam-propagation';
import { sqsHandlers } from './sqs';
import { CloudTrail, LOOKUP_EVENTS_LIMIT } from './cloudtrail';
import type { RateLimit } from './rate-limit';

export type { RateLimit } from './rate-limit';
import { Caller } from './cloudtrail-record';
import { BucketState, s3Handlers } from './s3';
import { Session, stsHandlers } from './sts';
import { OrganizationState, PrerequisiteState, newPrerequisites, organizationsHandlers, prerequisiteHandlers } from './prerequisites';

export interface CallRecord {
  service: string;
  operation: string;
  accountId: string;
  region: string;
  input: any;
  /** When the call reached the sandbox, in `performance.now()` milliseconds. */
  startedAt: number;
  /** When the call completed (after any injected latency), in `performance.now()` milliseconds. */
  at: number;
  sessionName?: string;
  error?: string;
}

export interface FaultRule {
  service?: string;
  operation: string;
  fault: FaultName | (() => Error);
  /** How many calls fail (default: every call until cleared). */
  times?: number;
  when?: (input: any) => boolean;
}

/** A client class the sandbox can serve, with the service name it uses in call records. */
interface Servable {
  service: string;
  prototype: { send: (...args: any[]) => any };
}

const READ_ONLY = /^(Get|List|Describe|Lookup)/;
/** Services the sandbox serves for `lockdown preflight`'s reads only. */
const PREFLIGHT_SERVICES = ['ssm', 'cloudformation', 'securityhub', 'guardduty', 'organizations'];

/** Who a call's credentials act as, for authorization. */
interface CallPrincipal {
  /** The principal IAM evaluates (a session's role). */
  arn: string;
  /** Who the error message names (the session itself). */
  caller: string;
  inputs: AuthorizationInputs;
  /** The condition keys AWS adds for these credentials. */
  context: Record<string, string>;
  /** Credentials AWS no longer accepts (a deactivated key) are refused before any policy. */
  refusal?: (service: string) => Error;
}

/** How each service answers a request signed with a key it does not accept. */
function invalidCredentials(service: string): Error {
  const invalid = 'The security token included in the request is invalid.';
  if (service === 'ec2') return awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  if (service === 'lambda') return awsError('UnrecognizedClientException', invalid, 403);
  if (service === 's3') return awsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
  return awsError('InvalidClientTokenId', invalid, 403);
}
/** The inline policy that carries the member role's permissions in the sandbox. */
export const MEMBER_POLICY_NAME = 'lockdown-member-permissions';

/**
 * A stateful simulation of the member-account APIs lockdown calls, served to the real SDK v3
 * clients: once installed, every IAM, STS, Lambda, EC2, Auto Scaling and ELBv2 client gets a middleware that answers from this state instead of the network. Signing, retries
 * (standard mode, with backoff) and the rest of the middleware stack run as they would against
 * AWS. Errors carry AWS's codes and HTTP statuses.
 */
export class SimulatedAws {
  readonly accounts = new Map<string, AccountState>();
  /** S3 buckets of every account (bucket names are global). */
  readonly s3Buckets = new Map<string, BucketState>();
  readonly sessions = new Map<string, Session>();
  /** Per account: what a deployment needs besides the member-account APIs (bootstrap, Security Hub, GuardDuty). */
  readonly prerequisites = new Map<string, PrerequisiteState>();
  /** The organization the accounts belong to, if any. */
  organization?: OrganizationState;
  /** IAM Identity Center instances, by `<account>/<region>` (`enableIdentityCenter`). */
  readonly identityCenters = new Map<string, IdentityCenterState>();
  readonly calls: CallRecord[] = [];
  /** Fixed latency per call, or a function of service and operation. */
  latencyMs: number | ((service: string, operation: string) => number) = 0;
  /** The account of callers that did not come through AssumeRole (the security account). */
  homeAccountId = '999999999999';
  now = () => new Date();

  /**
   * Called after each successful call (the state already changed), e.g. for an attacker who
   * undoes a change the moment it lands. Changes it makes go through `seed`, unrecorded.
   */
  afterCall?: (call: CallRecord) => void;

  /**
   * Authorize every call made with assumed-role credentials against the role's own policies, as
   * IAM would (iam-simulate with AWS's authorization data): AccessDenied exactly where AWS says.
   */
  authorize = true;
  /**
   * Service control policies over every member account, evaluated with the identity policies by
   * the same evaluator (iam-simulate), e.g. lockdown's organization guard (`npm run drill -- --guard`).
   */
  serviceControlPolicies: IdentityPolicy[] = [];
  /**
   * IAM's eventual consistency, when set: authorization sees a principal's policies, tags and key
   * statuses as they were `delayMs` earlier (`modelIamPropagation`). Off by default: at once.
   */
  iamPropagation?: IamPropagation;
  /** Every authorization decision made, for least-privilege checks. */
  readonly authorizations: AuthorizationRecord[] = [];

  /** API rate limits to enforce (by default only LookupEvents' 2 requests per second). */
  rateLimits: RateLimit[] = [LOOKUP_EVENTS_LIMIT];
  /** CloudTrail's event history: every call served, as a management event (LookupEvents). */
  readonly cloudTrail = new CloudTrail();
  /** Calls refused because a rate limit's bucket was empty, by service. */
  readonly throttled: Record<string, number> = {};
  /** The same, by account. */
  readonly throttledByAccount: Record<string, number> = {};

  private faults: Array<FaultRule & { remaining: number }> = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly handlers: Record<string, ServiceHandlers>;
  private readonly clients: Servable[] = [
    { service: 'iam', prototype: IAMClient.prototype },
    { service: 'sts', prototype: STSClient.prototype },
    { service: 'lambda', prototype: LambdaClient.prototype },
    { service: 'ec2', prototype: EC2Client.prototype },
    { service: 'autoscaling', prototype: AutoScalingClient.prototype },
    { service: 'elasticloadbalancing', prototype: ElasticLoadBalancingV2Client.prototype },
    { service: 's3', prototype: S3Client.prototype },
    { service: 'sso', prototype: SSOAdminClient.prototype },
    { service: 'identitystore', prototype: IdentitystoreClient.prototype },
    // What `lockdown preflight` reads before a deployment (those reads only).
    { service: 'ssm', prototype: SSMClient.prototype },
    { service: 'cloudformation', prototype: CloudFormationClient.prototype },
    { service: 'securityhub', prototype: SecurityHubClient.prototype },
    { service: 'guardduty', prototype: GuardDutyClient.prototype },
    { service: 'organizations', prototype: OrganizationsClient.prototype },
    // Only calls signed with a member-account session: the pipeline's own SQS (fauxqs) passes through.
    { service: 'sqs', prototype: SQSClient.prototype },
    { service: 'cloudtrail', prototype: CloudTrailClient.prototype },
  ];

  constructor() {
    this.handlers = {
      iam: iamHandlers,
      lambda: lambdaHandlers,
      ec2: ec2Handlers,
      autoscaling: autoScalingHandlers,
      elasticloadbalancing: elbv2Handlers,
      sqs: sqsHandlers,
      s3: s3Handlers(this.s3Buckets),
      sts: stsHandlers((id) => this.accounts.get(id), this.sessions),
      ...prerequisiteHandlers((id) => this.prerequisitesOf(id)),
      organizations: organizationsHandlers(() => this.organization),
      ...identityCenterHandlers((id, region) => this.identityCenters.get(`${id}/${region}`), {
        ensureRole: (accountId, roleName, inlinePolicy, managedPolicies) =>
          this.provisionReservedRole(accountId, roleName, inlinePolicy, managedPolicies),
        deleteRole: (accountId, roleName) => void this.account(accountId).roles.delete(roleName),
      }),
      cloudtrail: this.cloudTrail.handlers(() => this.now()),
    };
  }

  /** Enables IAM Identity Center in an account (its instance's home region): an empty directory. */
  enableIdentityCenter(accountId: string, region: string): IdentityCenterState {
    const state = newIdentityCenter(accountId, region, this.account(accountId).partition);
    this.identityCenters.set(`${accountId}/${region}`, state);
    return state;
  }

  /**
   * Signs a user in through the access portal to an account with a permission set, as Identity Center
   * does: only while an assignment (the user's, or a group's they are in) grants it, as a session of the
   * account's `AWSReservedSSO_<permission set>_*` role named after the user, carrying `identitystore:UserId`.
   * Throws when the portal would offer no such role.
   */
  signInThroughIdentityCenter(state: IdentityCenterState, userId: string, accountId: string, permissionSetName: string) {
    const [permissionSetArn] = [...state.permissionSets].find(([, ps]) => ps.name === permissionSetName) ?? [];
    const user = state.users.get(userId);
    if (!permissionSetArn || !user || !reaches(state, userId, accountId, permissionSetArn))
      throw new Error(`Identity Center offers ${user?.userName ?? userId} no ${permissionSetName} role in account ${accountId}`);
    const roleName = reservedRoleName(state, permissionSetArn, accountId);
    return { roleName, credentials: this.issueSession(accountId, roleName, user.userName, { 'identitystore:userId': userId }) };
  }

  /** What provisioning makes of a permission set in an account: its role, its inline policy (AwsSSOInlinePolicy) and managed policies. */
  private provisionReservedRole(accountId: string, roleName: string, inlinePolicy: string | undefined, managedPolicies: string[]): void {
    const account = this.account(accountId);
    if (!account.roles.has(roleName))
      this.seed(accountId, 'iam', 'CreateRole', {
        RoleName: roleName,
        Path: RESERVED_SSO_PATH,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:${account.partition}:iam::${accountId}:saml-provider/AWSSSO_sandbox_DO_NOT_DELETE` },
              Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
            },
          ],
        }),
      });
    const role = account.roles.get(roleName)!;
    if (inlinePolicy) role.inline.set('AwsSSOInlinePolicy', inlinePolicy);
    else role.inline.delete('AwsSSOInlinePolicy');
    role.attached = [...managedPolicies];
  }

  /** The account with this id (created empty on first use). */
  account(id: string, partition = 'aws'): AccountState {
    let account = this.accounts.get(id);
    if (!account) {
      account = newAccount(id, partition);
      this.accounts.set(id, account);
    }
    return account;
  }

  /** The deployment prerequisites of an account (none met on first use). */
  prerequisitesOf(accountId: string): PrerequisiteState {
    let state = this.prerequisites.get(accountId);
    if (!state) {
      state = newPrerequisites();
      this.prerequisites.set(accountId, state);
    }
    return state;
  }

  inject(rule: FaultRule): void {
    this.faults.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults = [];
  }

  mutatingCalls(): CallRecord[] {
    return this.calls.filter((c) => !READ_ONLY.test(c.operation) && c.service !== 'sts');
  }

  /** Patches the SDK clients so every instance is served by this sandbox; returns the undo. */
  install(): () => void {
    const installed = new WeakSet<object>();
    const restores = this.clients.map(({ service, prototype }) => {
      const original = prototype.send;
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const sandbox = this;
      prototype.send = function patchedSend(this: any, ...args: any[]) {
        if (!installed.has(this)) {
          installed.add(this);
          sandbox.attach(this, service);
        }
        return original.apply(this, args);
      };
      return () => {
        prototype.send = original;
      };
    });
    return () => restores.forEach((restore) => restore());
  }

  /** Answers one call as the member account would. */
  async handle(
    service: string,
    operation: string,
    input: any,
    caller: { accessKeyId: string; region: string; userAgent?: string },
  ): Promise<unknown> {
    const at = this.now();
    try {
      const output = await this.answer(service, operation, input, caller);
      this.trail(service, operation, input, caller, at, output);
      return output;
    } catch (error) {
      if (error instanceof SandboxAwsError) this.trail(service, operation, input, caller, at, undefined, error);
      throw error;
    }
  }

  /** Records a call in CloudTrail's event history, as the account's CloudTrail would. */
  private trail(
    service: string,
    operation: string,
    input: unknown,
    { accessKeyId, region, userAgent }: { accessKeyId: string; region: string; userAgent?: string },
    at: Date,
    output?: unknown,
    error?: SandboxAwsError,
  ): void {
    const session = this.sessions.get(accessKeyId);
    const keyOwner = session ? undefined : this.userOfKey(accessKeyId);
    const caller: Caller = session
      ? { kind: 'session', account: this.account(session.accountId), ...session, accessKeyId }
      : keyOwner
        ? { kind: 'user', account: keyOwner.account, user: keyOwner.user, accessKeyId }
        : { kind: 'root', account: this.account(this.homeAccountId), accessKeyId };
    this.cloudTrail.record({
      caller,
      service,
      operation,
      region,
      input,
      output,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
      at,
      sourceIPAddress: this.cloudTrail.sourceIps.get(accessKeyId) ?? '192.0.2.10',
      userAgent: userAgent ?? 'aws-sdk-js',
    });
  }

  private async answer(service: string, operation: string, input: any, caller: { accessKeyId: string; region: string }): Promise<unknown> {
    const startedAt = performance.now();
    const session = this.sessions.get(caller.accessKeyId);
    const keyOwner = session ? undefined : this.userOfKey(caller.accessKeyId);
    const account = this.account(session?.accountId ?? keyOwner?.account.id ?? this.homeAccountId);
    const latency = typeof this.latencyMs === 'function' ? this.latencyMs(service, operation) : this.latencyMs;
    if (latency > 0) await delay(latency);
    const record: CallRecord = {
      service,
      operation,
      accountId: account.id,
      region: caller.region,
      input,
      startedAt,
      at: performance.now(),
      ...(session ? { sessionName: session.sessionName } : {}),
    };
    this.calls.push(record);
    const limited = this.takeToken(service, operation, account.id, caller.region);
    if (limited) {
      record.error = limited.name;
      throw limited;
    }
    const fault = this.takeFault(service, operation, input);
    if (fault) {
      record.error = fault.name;
      throw fault;
    }
    const principal = session
      ? this.sessionPrincipal(session, account)
      : keyOwner
        ? this.keyPrincipal(keyOwner, caller.accessKeyId)
        : undefined;
    if (principal && this.authorize && service !== 'sts') {
      const denied =
        principal.refusal?.(service) ?? (await this.authorizeCall(principal, account, service, operation, input, caller.region));
      if (denied) {
        record.error = denied.name;
        throw denied;
      }
    }
    const handler = this.handlers[service]?.[operation];
    if (!handler) throw awsError('InvalidAction', `the sandbox does not implement ${service}:${operation}`, 400);
    const context: CallContext = {
      account,
      region: caller.region,
      now: this.now(),
      ...(session ? { sessionName: session.sessionName } : {}),
    };
    let output: unknown;
    try {
      output = this.changingIam(service, operation, input, account, () => structuredClone(handler(input, context)));
    } catch (error) {
      record.error = (error as Error).name;
      throw error;
    }
    this.afterCall?.(record);
    return output;
  }

  /** Models IAM's eventual consistency from now on: authorization sees IAM changes `delayMs` after they are made. */
  modelIamPropagation(delayMs: number): void {
    this.iamPropagation = new IamPropagation(delayMs);
  }

  /**
   * Credentials of a role session issued outside lockdown's flow, e.g. the ones an attacker stole
   * from a function (`lambda:SourceFunctionArn`) or an instance (`ec2:SourceInstanceARN`) before
   * containment; `context` holds the condition keys AWS adds to that session's requests.
   */
  issueSession(
    accountId: string,
    roleName: string,
    sessionName: string,
    context: Record<string, string> = {},
    issuedAt = this.now(),
  ): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const accessKeyId = newId('ASIA', 16);
    this.sessions.set(accessKeyId, { accountId, roleName, sessionName, issuedAt, context });
    return { accessKeyId, secretAccessKey: newId('', 40), sessionToken: newId('IQoJ', 64) };
  }

  /** Runs an IAM change, recording the principal it names for authorization's delayed view. */
  private changingIam<T>(service: string, operation: string, input: any, account: AccountState, change: () => T): T {
    const propagation = this.iamPropagation;
    if (!propagation || service !== 'iam' || READ_ONLY.test(operation)) return change();
    const named = () =>
      input?.UserName !== undefined
        ? account.users.get(input.UserName)
        : input?.RoleName !== undefined
          ? account.roles.get(input.RoleName)
          : undefined;
    const before = named();
    if (before) propagation.before(before.arn, before);
    const output = change();
    const after = named();
    if (after) propagation.after(after.arn, after, this.now().getTime());
    return output;
  }

  /** The IAM user whose access key this is, in any account. */
  private userOfKey(accessKeyId: string): { account: AccountState; user: IamUserState } | undefined {
    if (!accessKeyId.startsWith('AKIA')) return undefined;
    for (const account of this.accounts.values())
      for (const user of account.users.values()) if (user.keys.has(accessKeyId)) return { account, user };
    return undefined;
  }

  /**
   * Calls an operation directly in an account (no latency, faults or call record): for seeding
   * fixtures and for checks made independently of the services.
   */
  seed<T = any>(accountId: string, service: string, operation: string, input: any, region = 'us-east-1'): T {
    const handler = this.handlers[service]?.[operation];
    if (!handler) throw new Error(`the sandbox does not implement ${service}:${operation}`);
    const account = this.account(accountId);
    return this.changingIam(service, operation, input, account, () =>
      structuredClone(handler(input, { account, region, now: this.now() })),
    ) as T;
  }

  /**
   * Creates the member role as the member stack does: trusted by `trustedPrincipals` with an
   * ExternalId condition, with the member-role policy the stack synthesizes (`memberRolePolicy`).
   */
  seedMemberRole(
    accountId: string,
    roleName: string,
    externalId: string,
    trustedPrincipals: string[] = [`arn:aws:iam::${this.homeAccountId}:root`],
    /** The policy to give it (default: the shared member-role policy; the registry's `memberPolicy` adds the services' own). */
    policyOf: typeof memberRolePolicy = memberRolePolicy,
  ): void {
    this.seedTrustedRole(accountId, roleName, externalId, trustedPrincipals);
    const policy = policyOf({
      partition: this.account(accountId).partition,
      account: accountId,
      memberRoleName: roleName,
      securityAccountId: this.homeAccountId,
    });
    this.seed(accountId, 'iam', 'PutRolePolicy', {
      RoleName: roleName,
      PolicyName: MEMBER_POLICY_NAME,
      PolicyDocument: JSON.stringify(policy),
    });
  }

  /** Creates a role with full access that `trustedPrincipals` may assume (fixtures and independent checks). */
  seedAdminRole(
    accountId: string,
    roleName: string,
    externalId: string,
    trustedPrincipals: string[] = [`arn:aws:iam::${this.homeAccountId}:root`],
  ): void {
    this.seedTrustedRole(accountId, roleName, externalId, trustedPrincipals);
    this.seed(accountId, 'iam', 'AttachRolePolicy', {
      RoleName: roleName,
      PolicyArn: `arn:${this.account(accountId).partition}:iam::aws:policy/AdministratorAccess`,
    });
  }

  private seedTrustedRole(accountId: string, roleName: string, externalId: string, trustedPrincipals: string[]): void {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: trustedPrincipals },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        },
      ],
    };
    this.seed(accountId, 'iam', 'CreateRole', { RoleName: roleName, Path: '/', AssumeRolePolicyDocument: JSON.stringify(trust) });
  }

  /**
   * IAM's decision for a role of the account acting on an S3 bucket (or `key` in it), from the
   * role's policies and the bucket's policy together, per iam-simulate.
   */
  async bucketDecision(accountId: string, roleName: string, action: string, bucket: string, key?: string): Promise<string> {
    const account = this.account(accountId);
    const role = account.roles.get(roleName);
    if (!role) throw new Error(`no role ${roleName} in ${accountId}`);
    const state = this.s3Buckets.get(bucket);
    return decide(role.arn, accountId, identityPolicies(role), {
      action,
      resource: `arn:${account.partition}:s3:::${bucket}${key !== undefined ? `/${key}` : ''}`,
      context: { 's3:ResourceAccount': state?.owner ?? accountId },
      ...(state?.policy ? { resourcePolicy: JSON.parse(state.policy) } : {}),
    });
  }

  /** Whether every call by this principal's credentials (with this context) is denied, per iam-simulate. */
  async principalDenied(accountId: string, kind: 'user' | 'role', name: string, context: RequestContext = {}): Promise<boolean> {
    const account = this.account(accountId);
    const principal = kind === 'user' ? account.users.get(name) : account.roles.get(name);
    if (!principal) throw new Error(`no ${kind} ${name} in ${accountId}`);
    return deniesEverything(principal.arn, identityPolicies(principal), context, boundaryPolicies(principal.boundary));
  }

  /**
   * Two middlewares around the SDK's deserializer: the outer one answers from the sandbox's state;
   * an error is handed to the inner one as the HTTP response AWS would send, so the SDK's own
   * deserializer makes the exception the code sees (its modeled class, name, $fault, $metadata).
   */
  private attach(client: any, service: string): void {
    const wire = new WeakMap<object, WireResponse>();
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: { input: unknown }) => {
        const operation = context.commandName.replace(/Command$/, '');
        const [region, credentials] = await Promise.all([client.config.region(), client.config.credentials()]);
        if (service === 'sqs' && !this.sessions.has(credentials.accessKeyId)) return next(args);
        // Of the services preflight reads, only those reads: any other call (the drill's own Security Hub) passes through.
        if (PREFLIGHT_SERVICES.includes(service) && !this.handlers[service]?.[operation]) return next(args);
        let output: object;
        try {
          const userAgent = (args as { request?: { headers?: Record<string, string> } }).request?.headers?.['user-agent'];
          output = (await this.handle(service, operation, args.input, {
            accessKeyId: credentials.accessKeyId,
            region,
            ...(userAgent ? { userAgent } : {}),
          })) as object;
        } catch (error) {
          if (!(error instanceof SandboxAwsError)) throw error;
          wire.set(context, wireErrorResponse(service, error));
          return next(args);
        }
        return {
          response: { statusCode: 200, headers: {} },
          output: { ...output, $metadata: { httpStatusCode: 200, requestId: 'sandbox', attempts: 1, totalRetryDelay: 0 } },
        };
      },
      { step: 'deserialize', priority: 'high', name: 'lockdownSandbox', override: true },
    );
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: object) => async (args: unknown) => {
        const response = wire.get(context);
        wire.delete(context);
        // No error to deliver: a call the sandbox passed through (the pipeline's own SQS).
        return response ? { response } : next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'lockdownSandboxWire', override: true },
    );
  }

  /** What authorization sees of a principal now: as it was `delayMs` ago under the propagation model, else as it is. */
  private authorizationView(principal: IamPrincipalState): AuthorizationInputs {
    return this.iamPropagation?.asOf(principal.arn, principal, this.now().getTime()) ?? authorizationInputs(principal);
  }

  /** A role session acts as its role, with the session's own condition keys. */
  private sessionPrincipal(session: Session, account: AccountState): CallPrincipal {
    const role = account.roles.get(session.roleName);
    return {
      arn: role?.arn ?? `arn:${account.partition}:iam::${account.id}:role/${session.roleName}`,
      caller: `arn:${account.partition}:sts::${account.id}:assumed-role/${session.roleName}/${session.sessionName}`,
      inputs: role ? this.authorizationView(role) : { policies: [], tags: new Map(), keys: new Map() },
      context: {
        'aws:TokenIssueTime': session.issuedAt.toISOString(),
        ...(role ? { 'aws:userid': `${role.id}:${session.sessionName}` } : {}),
        ...session.context,
      },
    };
  }

  /** An IAM user's access key: refused outright once authorization sees it inactive. */
  private keyPrincipal({ user }: { user: IamUserState }, accessKeyId: string): CallPrincipal {
    const inputs = this.authorizationView(user);
    return {
      arn: user.arn,
      caller: user.arn,
      inputs,
      context: { 'aws:userid': user.id },
      ...(inputs.keys.get(accessKeyId) === 'Active' ? {} : { refusal: (service: string) => invalidCredentials(service) }),
    };
  }

  /** The AccessDenied AWS would answer with, or undefined when the principal's policies allow the call. */
  private async authorizeCall(
    principal: CallPrincipal,
    account: AccountState,
    service: string,
    operation: string,
    input: unknown,
    region: string,
  ): Promise<Error | undefined> {
    const { policies, boundary } = principal.inputs;
    const action = `${service}:${operation}`;
    const deny = (reason: string) =>
      awsError(
        service === 'ec2'
          ? 'UnauthorizedOperation'
          : service === 'lambda' || service === 'sso' || service === 'identitystore'
            ? 'AccessDeniedException'
            : 'AccessDenied',
        `User: ${principal.caller} is not authorized to perform: ${reason}`,
        403,
      );
    const mapper = AUTHORIZATIONS[action];
    if (!mapper)
      return isAdministrator(policies) && (!boundary || isAdministrator(boundary))
        ? undefined
        : deny(`${action} (the sandbox has no authorization mapping for it)`);
    // Only the keys some policy reads are given: the decision is the same, and cached across sessions.
    const texts = [...policies, ...(boundary ?? []), ...this.serviceControlPolicies].map((p) => documentText(p.policy));
    const principalContext = Object.fromEntries(
      [...Object.entries(principal.context), ...[...principal.inputs.tags].map(([k, v]) => [`aws:PrincipalTag/${k}`, v] as const)].filter(
        ([key]) => texts.some((text) => text.includes(key.split('/')[0]!)),
      ),
    );
    const scope = {
      account,
      region,
      buckets: this.s3Buckets,
      iamTags: (p: IamPrincipalState) => this.authorizationView(p).tags,
      ...(this.organization ? { organization: this.organization } : {}),
    };
    for (const request of mapper(input, scope)) {
      const decision = await decide(
        principal.arn,
        account.id,
        policies,
        { ...request, context: { ...principalContext, ...request.context } },
        this.serviceControlPolicies,
        boundary,
      );
      this.authorizations.push({ ...request, principal: principal.arn, operation: action, decision });
      if (decision !== 'Allowed') return deny(`${request.action} on resource: ${request.resource} (${decision})`);
    }
    return undefined;
  }

  private takeToken(service: string, operation: string, accountId: string, region: string): Error | undefined {
    for (const limit of this.rateLimits) {
      if (limit.service !== service || (limit.mutatingOnly && READ_ONLY.test(operation))) continue;
      if (limit.operations && !limit.operations.includes(operation)) continue;
      const key = `${service}|${accountId}|${region}|${limit.mutatingOnly}|${limit.operations?.join() ?? ''}`;
      const now = performance.now();
      const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, at: now };
      bucket.tokens = Math.min(limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond);
      bucket.at = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        this.throttled[service] = (this.throttled[service] ?? 0) + 1;
        this.throttledByAccount[accountId] = (this.throttledByAccount[accountId] ?? 0) + 1;
        return limit.error();
      }
      bucket.tokens -= 1;
    }
    return undefined;
  }

  private takeFault(service: string, operation: string, input: any): Error | undefined {
    const rule = this.faults.find(
      (f) => f.remaining > 0 && f.operation === operation && (!f.service || f.service === service) && (!f.when || f.when(input)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return typeof rule.fault === 'function' ? rule.fault() : FAULTS[rule.fault](service, operation);
  }
}

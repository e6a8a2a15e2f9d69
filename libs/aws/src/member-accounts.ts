import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { Partition, globalRegionOf } from '@lockdown/contracts';
import { ApiPacer } from './api-pacer';
import { clientSettings, DEFAULT_MAX_ATTEMPTS } from './client-config';

export interface MemberAccountsOptions {
  /** Name of the role every member account has (same name everywhere). */
  roleName: string;
  externalId: string;
  /** The calling service, shown in the role session name. */
  service: string;
  sts?: STSClient;
  maxAttempts?: number;
  /** Refresh credentials this long before they expire. */
  refreshMarginMs?: number;
  sessionDurationSeconds?: number;
  now?: () => number;
  /** Paces the calls of the clients `paced` is given within each account and region's API budgets. */
  pacer?: ApiPacer;
}

/** One request's view of a member account: who, where, and which request it is for. */
export interface MemberTarget {
  partition: Partition;
  accountId: string;
  /** Region of regional APIs (EC2, Lambda); IAM always uses its partition's global region. */
  region: string;
  requestId: string;
}

interface CachedCredentials {
  credentials: Promise<AwsCredentialIdentity>;
  expiresAt: number;
}

const SESSION_NAME_MAX = 64;

/** STS allows `[\w+=,.@-]` in a session name, 2 to 64 characters. */
export function roleSessionName(service: string, requestId: string): string {
  return `lockdown-${service}-${requestId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
}

/**
 * Cross-account access: assumes the member role with the ExternalId, one role session per
 * request (its name carries the request id, so the member account's CloudTrail shows which
 * request made each call), cached until shortly before the credentials expire.
 */
export class MemberAccounts {
  private readonly sts: STSClient;
  private readonly cache = new Map<string, CachedCredentials>();
  private readonly refreshMarginMs: number;
  private readonly now: () => number;
  private readonly maxAttempts: number;

  constructor(private readonly options: MemberAccountsOptions) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.sts = options.sts ?? new STSClient(clientSettings(this.maxAttempts));
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  roleArn(partition: Partition, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:role/${this.options.roleName}`;
  }

  /** Credentials for the member role; concurrent callers share one AssumeRole. */
  credentials(target: MemberTarget): Promise<AwsCredentialIdentity> {
    const key = `${target.partition}:${target.accountId}:${target.requestId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - this.refreshMarginMs > this.now()) return cached.credentials;
    this.evictExpired();
    const entry: CachedCredentials = { credentials: this.assume(target), expiresAt: Number.POSITIVE_INFINITY };
    this.cache.set(key, entry);
    entry.credentials.then(
      (credentials) => (entry.expiresAt = credentials.expiration?.getTime() ?? this.now()),
      () => this.cache.delete(key),
    );
    return entry.credentials;
  }

  /**
   * Client settings for this target: standard retries, the member role's credentials, and the
   * region (for IAM, the partition's global region). Build the client you need with them, e.g.
   * `new EC2Client(accounts.clientConfig(target))`, so a bundle carries only the clients it uses.
   */
  clientConfig(target: MemberTarget, scope: 'regional' | 'global' = 'regional') {
    return {
      ...clientSettings(this.maxAttempts),
      credentials: () => this.credentials(target),
      region: scope === 'global' ? globalRegionOf(target.partition) : target.region,
    };
  }

  /**
   * The client, its calls paced within the target account's budgets for that API and region
   * (EC2, Lambda, IAM), e.g. `accounts.paced(new EC2Client(accounts.clientConfig(target)), target)`.
   */
  paced<C extends Parameters<ApiPacer['pace']>[0]>(client: C, target: Pick<MemberTarget, 'accountId'>): C {
    return this.options.pacer ? this.options.pacer.pace(client, target.accountId) : client;
  }

  private async assume(target: MemberTarget): Promise<AwsCredentialIdentity> {
    const response = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.roleArn(target.partition, target.accountId),
        RoleSessionName: roleSessionName(this.options.service, target.requestId),
        ExternalId: this.options.externalId,
        DurationSeconds: this.options.sessionDurationSeconds ?? 900,
      }),
    );
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(key);
  }
}

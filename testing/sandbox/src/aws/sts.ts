import { awsError } from './errors';
import { ServiceHandlers, newId } from './context';
import { AccountState } from './state';

export interface Session {
  accountId: string;
  roleName: string;
  sessionName: string;
  issuedAt: Date;
  /** Condition keys AWS adds to this session's requests (e.g. `lambda:SourceFunctionArn` of a function's credentials). */
  context?: Record<string, string>;
}

const STS_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** AssumeRole with the trust check lockdown relies on: the role exists and the ExternalId matches. */
export function stsHandlers(accounts: (id: string) => AccountState | undefined, sessions: Map<string, Session>): ServiceHandlers {
  return {
    AssumeRole: ({ RoleArn, RoleSessionName, ExternalId, DurationSeconds = 3600 }, { now }) => {
      const match = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(RoleArn ?? '');
      if (!match) throw awsError('ValidationError', `${RoleArn} is not a valid role ARN`, 400);
      if (!STS_SESSION_NAME.test(RoleSessionName ?? ''))
        throw awsError(
          'ValidationError',
          `1 validation error detected: Value '${RoleSessionName}' at 'roleSessionName' failed to satisfy constraint`,
          400,
        );
      const [, accountId, roleName] = match as unknown as [string, string, string];
      const account = accounts(accountId);
      const role = account?.roles.get(roleName);
      const denied = () => awsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`, 403);
      if (!role) throw denied();
      const trust = JSON.parse(role.trustPolicy) as { Statement: Array<{ Condition?: { StringEquals?: Record<string, string> } }> };
      const required = trust.Statement.map((s) => s.Condition?.StringEquals?.['sts:ExternalId']).find(Boolean);
      if (required !== undefined && required !== ExternalId) throw denied();
      const AccessKeyId = newId('ASIA', 16);
      sessions.set(AccessKeyId, { accountId, roleName, sessionName: RoleSessionName, issuedAt: now });
      return {
        Credentials: {
          AccessKeyId,
          SecretAccessKey: newId('', 40),
          SessionToken: newId('IQoJ', 64),
          Expiration: new Date(now.getTime() + DurationSeconds * 1000),
        },
        AssumedRoleUser: {
          AssumedRoleId: `${role.id}:${RoleSessionName}`,
          Arn: `arn:${account!.partition}:sts::${accountId}:assumed-role/${roleName}/${RoleSessionName}`,
        },
      };
    },
    GetCallerIdentity: (_input, { account, sessionName }) => ({
      Account: account.id,
      Arn: `arn:aws:sts::${account.id}:${sessionName ?? 'user/local'}`,
      UserId: 'sim',
    }),
  };
}

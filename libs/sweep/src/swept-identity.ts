import { AuditEvent, parseEntityArn } from '@lockdown/contracts';
import { TrailRecord } from './trail-record';

/**
 * The identity whose actions a sweep reads. Extension point: a new kind (e.g. an Identity Center
 * user, whose calls are sessions of `AWSReservedSSO_*` roles named after the user) adds a member
 * here, its test in `belongsTo`, and its lookup in `lookupOf`; the compiler lists every switch.
 */
export type SweptIdentity =
  | { kind: 'iam-user'; accountId: string; userName: string; arn: string; accessKeyIds: string[] }
  | { kind: 'iam-role'; accountId: string; roleName: string; arn: string }
  /**
   * One session of one of `roleNames`: an assumed-role session, or a function's or an instance's
   * credentials (sessions of its execution role or instance-profile roles, named after it). No role
   * known (`roleNames` empty): any role's session of that name in the account (`sweptIdentityOf`).
   */
  | { kind: 'role-session'; accountId: string; roleNames: string[]; sessionName: string }
  /**
   * An IAM Identity Center user: its sessions of the `AWSReservedSSO_<permission set>_<suffix>` roles
   * Identity Center provisions in each account it reached (`accountIds`, as recorded at containment),
   * named after its user name.
   */
  | { kind: 'identity-center-user'; accountIds: string[]; userName: string; permissionSetNames: string[] };

/** The LookupEvents attribute (LookupEvents accepts one per call). */
export interface Lookup {
  AttributeKey: 'AccessKeyId' | 'Username' | 'ReadOnly';
  AttributeValue: string;
}

/**
 * The lookup that returns every change the identity made: a user's by its name (any key, the
 * console), a session's by its session name; a role's sessions have no attribute of their own, so
 * every change in the region (ReadOnly=false), kept by `belongsTo`.
 */
export function lookupOf(identity: SweptIdentity): Lookup {
  switch (identity.kind) {
    case 'iam-user':
      return { AttributeKey: 'Username', AttributeValue: identity.userName };
    case 'role-session':
      return { AttributeKey: 'Username', AttributeValue: identity.sessionName };
    case 'identity-center-user':
      return { AttributeKey: 'Username', AttributeValue: identity.userName };
    case 'iam-role':
      return { AttributeKey: 'ReadOnly', AttributeValue: 'false' };
  }
}

const sessionIssuerArn = (record: TrailRecord) => record.userIdentity?.sessionContext?.sessionIssuer?.arn;
/** A role ARN without its path, as an assumed-role ARN names it. */
const roleNameOfArn = (arn: string | undefined) => arn?.split('/').pop();

/** The session a record's assumed-role ARN names (`arn:<partition>:sts::<account>:assumed-role/<role>/<session>`), parsed as the intake parses one. */
function sessionOf(arn: string | undefined) {
  const parsed = arn ? parseEntityArn(arn) : undefined;
  return parsed?.ok && parsed.entity.type === 'iam-role-session' ? parsed.entity : undefined;
}

/** The accounts whose event history holds the identity's calls. */
export const sweptAccountsOf = (identity: SweptIdentity): readonly string[] =>
  identity.kind === 'identity-center-user' ? identity.accountIds : [identity.accountId];

/**
 * The path Identity Center provisions its roles under (`/aws-reserved/sso.amazonaws.com/`, with the
 * instance's region after it for some instances): a look-alike name on a role elsewhere is not one of them.
 */
const RESERVED_SSO_PATH = '/aws-reserved/sso.amazonaws.com/';
/** The role Identity Center provisions a permission set as: `AWSReservedSSO_<name>_<hex suffix>` (a name may hold `_`, the suffix never). */
const isSsoRoleOf = (roleName: string, permissionSetName: string) => {
  const prefix = `AWSReservedSSO_${permissionSetName}_`;
  return roleName.startsWith(prefix) && /^[0-9a-f]+$/.test(roleName.slice(prefix.length));
};
/** The path of a role ARN (`arn:<partition>:iam::<account>:role<path><name>`). */
const rolePathOf = (arn: string | undefined) => {
  const resource = arn?.split(':')[5];
  return resource?.startsWith('role/') ? resource.slice('role'.length, resource.lastIndexOf('/') + 1) : undefined;
};

/** Whether a record is a call made with the identity's credentials. */
export function belongsTo(record: TrailRecord, identity: SweptIdentity): boolean {
  const who = record.userIdentity;
  if (!who || !sweptAccountsOf(identity).includes(who.accountId ?? record.recipientAccountId ?? '')) return false;
  switch (identity.kind) {
    case 'iam-user':
      return (
        who.type === 'IAMUser' &&
        (who.arn === identity.arn || (who.accessKeyId !== undefined && identity.accessKeyIds.includes(who.accessKeyId)))
      );
    case 'iam-role':
      return who.type === 'AssumedRole' && roleNameOfArn(sessionIssuerArn(record)) === identity.roleName;
    case 'role-session': {
      const session = who.type === 'AssumedRole' ? sessionOf(who.arn) : undefined;
      return (
        session?.accountId === identity.accountId &&
        session.sessionName === identity.sessionName &&
        (identity.roleNames.length === 0 || identity.roleNames.includes(session.roleName))
      );
    }
    case 'identity-center-user': {
      const session = who.type === 'AssumedRole' ? sessionOf(who.arn) : undefined;
      const issuer = sessionIssuerArn(record);
      return (
        session !== undefined &&
        identity.accountIds.includes(session.accountId) &&
        session.sessionName === identity.userName &&
        roleNameOfArn(issuer) === session.roleName &&
        (rolePathOf(issuer)?.startsWith(RESERVED_SSO_PATH) ?? false) &&
        identity.permissionSetNames.some((name) => isSsoRoleOf(session.roleName, name))
      );
    }
  }
}

/**
 * The identity whose credentials a containment took away, from the audit record's entity: a user,
 * a role (all its sessions), one session; a function's or an instance's credentials are sessions of
 * its roles (`credentialRoles`: the execution role, the instance profile's) named after it (Lambda
 * names them after the function, EC2 after the instance id); with none known (the profile removed and
 * none recorded), the session name alone, which the sweep's report says. A bucket has no credentials: no sweep.
 * An Identity Center user's accounts and permission sets are its containment's recorded state: its
 * service gives them (`identity-center-user` in `SweptIdentity`).
 */
export function sweptIdentityOf(
  entity: NonNullable<AuditEvent['entity']>,
  credentialRoles: readonly string[] = [],
): SweptIdentity | undefined {
  const { accountId, arn, name } = entity;
  switch (entity.type) {
    case 'iam-user':
      return { kind: 'iam-user', accountId, userName: name, arn, accessKeyIds: [] };
    case 'iam-role':
      return { kind: 'iam-role', accountId, roleName: name, arn };
    case 'iam-role-session': {
      const [roleName, sessionName] = name.split('/') as [string, string];
      return { kind: 'role-session', accountId, roleNames: [roleName], sessionName };
    }
    case 'lambda-function':
    case 'ec2-instance':
      return { kind: 'role-session', accountId, roleNames: [...credentialRoles], sessionName: name };
    default:
      return undefined;
  }
}

import type { ServiceDescriptor } from '@lockdown/aws';
import {
  MemberRolePolicyProps,
  OWN_MEMBER_ROLE_SUFFIXES,
  PolicyDocument,
  SERVICES,
  ServiceName,
  memberRolePolicy,
  ownMemberRolePolicy,
} from '@lockdown/contracts';
import { descriptor as ec2Isolation } from '@lockdown/ec2-isolation/descriptor';
import { descriptor as iamLockdown } from '@lockdown/iam-lockdown/descriptor';
import { descriptor as lambdaLockdown } from '@lockdown/lambda-lockdown/descriptor';
import { descriptor as s3Lockdown } from '@lockdown/s3-lockdown/descriptor';
import { descriptor as identityCenterLockdown } from '@lockdown/identity-center-lockdown/descriptor';

/**
 * The registry of containment services: one line per service (the compiler refuses a service of
 * the routing table without one). The stacks, the CLI, the drill, the bench and the lint
 * configuration loop over it.
 */
const REGISTRY = {
  'iam-lockdown': iamLockdown,
  'lambda-lockdown': lambdaLockdown,
  'ec2-isolation': ec2Isolation,
  's3-lockdown': s3Lockdown,
  'identity-center-lockdown': identityCenterLockdown,
} satisfies Record<ServiceName, ServiceDescriptor>;

/** Every service's descriptor, in the routing table's order. */
export const SERVICE_DESCRIPTORS: readonly ServiceDescriptor[] = SERVICES.map((name) => REGISTRY[name]);

export function descriptorOf(name: ServiceName): ServiceDescriptor {
  return REGISTRY[name];
}

/**
 * The shared member role's policy: the shared statements and the statements of every service without a
 * member role of its own (`OWN_MEMBER_ROLE_SUFFIXES`: those are in that role only, `ownMemberPolicy`).
 */
export function memberPolicy(props: MemberRolePolicyProps): PolicyDocument {
  return memberRolePolicy(props, (context) =>
    SERVICE_DESCRIPTORS.filter((d) => !OWN_MEMBER_ROLE_SUFFIXES[d.name]).flatMap((d) => d.memberStatements?.(context) ?? []),
  );
}

/** The policy of a service's own member role: its descriptor's statements (and the sweep's read), nothing else. */
export function ownMemberPolicy(service: ServiceName, props: Pick<MemberRolePolicyProps, 'partition' | 'account'>): PolicyDocument {
  return ownMemberRolePolicy(props, (context) => descriptorOf(service).memberStatements?.(context) ?? []);
}

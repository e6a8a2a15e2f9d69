export interface ConnectionTracking {
  TcpEstablishedTimeout: number;
  UdpStreamTimeout: number;
  UdpTimeout: number;
}

export type LockdownGroupKind = 'untracked' | 'isolation';

export interface ObservedGroup {
  id: string;
  /** Tagged as created by lockdown. */
  ours: boolean;
  /** Whether its rules are exactly the ones lockdown expects for its kind. */
  rulesExact: boolean;
}

export interface ObservedInterface {
  id: string;
  vpcId: string;
  groups: string[];
  tracking: ConnectionTracking;
  deviceIndex: number;
  /** The service that manages this interface, when it is not the instance's own. */
  managedBy?: string;
  /** Its own tags (the instance's are apart). */
  tags: Record<string, string>;
}

/** What lockdown reads of an EC2 instance before and after isolating it. */
export interface ObservedInstance {
  instanceId: string;
  arn: string;
  state: string;
  profileArn?: string;
  /** Roles of the instance profile. */
  profileRoles: string[];
  terminationProtection: boolean;
  tags: Record<string, string>;
  interfaces: ObservedInterface[];
  volumes: string[];
  /** lockdown's groups per VPC, as found (by their tags). */
  lockdownGroups: Record<string, Partial<Record<LockdownGroupKind, ObservedGroup>>>;
  /** Groups per VPC that carry one of lockdown's names without being lockdown's: never used nor changed, named in the audit. */
  impostorGroups: Record<string, Array<{ kind: LockdownGroupKind; id: string }>>;
  /** Load-balancer target groups the instance is registered in (read when the option is on). */
  targetRegistrations?: Array<{ targetGroupArn: string; port: number }>;
  /** The Auto Scaling group the instance is in (read when the detach option is on). */
  autoScalingGroup?: string;
  /** Whether lockdown's credential deny is on each profile role (read once the roles are known). */
  denyOnRoles?: Record<string, boolean>;
}

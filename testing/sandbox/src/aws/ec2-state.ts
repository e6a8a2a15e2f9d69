export interface SecurityGroupRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr: string;
}

export interface SecurityGroupState {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: Map<string, string>;
}

export interface ConnectionTracking {
  TcpEstablishedTimeout: number;
  UdpStreamTimeout: number;
  UdpTimeout: number;
}

/** AWS's defaults when an interface has no explicit tracking configuration. */
export const DEFAULT_CONNECTION_TRACKING: ConnectionTracking = { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 };

export interface NetworkInterfaceState {
  id: string;
  vpcId: string;
  subnetId: string;
  groups: string[];
  tracking?: ConnectionTracking;
  attachment?: { instanceId: string; deviceIndex: number; attachmentId: string };
  /** Set for interfaces another service manages (e.g. a load balancer's). */
  managedBy?: string;
  /** Its own tags (DescribeNetworkInterfaces' TagSet; DescribeInstances does not show them). */
  tags?: Map<string, string>;
}

export interface InstanceState {
  id: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  vpcId: string;
  subnetId: string;
  profileArn?: string;
  terminationProtection: boolean;
  tags: Map<string, string>;
  volumes: string[];
}

export interface AutoScalingGroupState {
  name: string;
  instances: string[];
  desired: number;
}

export interface TargetGroupState {
  arn: string;
  name: string;
  targets: Array<{ id: string; port: number }>;
}

export interface Ec2RegionState {
  vpcs: Set<string>;
  securityGroups: Map<string, SecurityGroupState>;
  instances: Map<string, InstanceState>;
  interfaces: Map<string, NetworkInterfaceState>;
  snapshots: Map<string, { id: string; volumeId: string; tags: Map<string, string> }>;
  autoScalingGroups: Map<string, AutoScalingGroupState>;
  targetGroups: Map<string, TargetGroupState>;
}

export const newEc2Region = (): Ec2RegionState => ({
  vpcs: new Set(),
  securityGroups: new Map(),
  instances: new Map(),
  interfaces: new Map(),
  snapshots: new Map(),
  autoScalingGroups: new Map(),
  targetGroups: new Map(),
});

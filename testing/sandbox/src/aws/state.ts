import { Ec2RegionState } from './ec2-state';

export interface Tag {
  Key: string;
  Value: string;
}

export interface IamPrincipalState {
  name: string;
  path: string;
  arn: string;
  id: string;
  createDate: Date;
  attached: string[];
  inline: Map<string, string>;
  tags: Map<string, string>;
  /** The permissions boundary's policy ARN, if any. */
  boundary?: string;
}

export interface IamUserState extends IamPrincipalState {
  keys: Map<string, { status: 'Active' | 'Inactive'; createDate: Date }>;
  /** SSH public keys (CodeCommit), service-specific credentials, signing certificates: other doors. */
  sshKeys?: Map<string, { status: string }>;
  serviceCredentials?: Map<string, { status: string; serviceName: string }>;
  certificates?: Map<string, { status: string }>;
  /** The console password (its presence). */
  loginProfile?: { createDate: Date };
}

export interface IamRoleState extends IamPrincipalState {
  trustPolicy: string;
}

export interface InstanceProfileState {
  name: string;
  arn: string;
  id: string;
  path: string;
  roles: string[];
}

export interface FunctionState {
  name: string;
  arn: string;
  region: string;
  role: string;
  reservedConcurrency?: number;
  tags?: Map<string, string>;
  /** Its function URL (CreateFunctionUrlConfig), if any. */
  url?: { authType: string; url: string };
}

export interface EventSourceMappingState {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  state: 'Enabled' | 'Disabled';
  region: string;
  tags?: Map<string, string>;
}

export interface AccountState {
  id: string;
  partition: string;
  users: Map<string, IamUserState>;
  roles: Map<string, IamRoleState>;
  instanceProfiles: Map<string, InstanceProfileState>;
  /** Customer-managed policies (AWS-managed ones are known to every account). */
  policies: Set<string>;
  functions: Map<string, FunctionState>;
  eventSourceMappings: Map<string, EventSourceMappingState>;
  /** SQS queues by ARN. */
  queues: Map<string, { name: string; arn: string; url: string }>;
  ec2: Map<string, Ec2RegionState>;
  /** The Regions enabled for the account (EC2 DescribeRegions): those enabled by default, and the opt-in ones it enabled. */
  regions: Set<string>;
}

/**
 * The Regions AWS enables for every account ("opt-in-not-required"); the others are opt-in
 * (AWS Account Management Reference Guide, "Specify which AWS Regions your account can use",
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
export const DEFAULT_ENABLED_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
] as const;

export function newAccount(id: string, partition = 'aws'): AccountState {
  return {
    id,
    partition,
    users: new Map(),
    roles: new Map(),
    instanceProfiles: new Map(),
    policies: new Set(),
    functions: new Map(),
    eventSourceMappings: new Map(),
    queues: new Map(),
    ec2: new Map(),
    regions: new Set(DEFAULT_ENABLED_REGIONS),
  };
}

/** AWS-managed policies the sandbox knows. */
export const AWS_MANAGED_POLICIES = [
  'AWSDenyAll',
  'ReadOnlyAccess',
  'PowerUserAccess',
  'AdministratorAccess',
  'AmazonS3ReadOnlyAccess',
  'AWSLambdaBasicExecutionRole',
];

/** IAM quotas the sandbox enforces (the AWS defaults). */
export const IAM_QUOTAS = { managedPoliciesPerPrincipal: 10, userInlineBytes: 2048, roleInlineBytes: 10240, tagsPerPrincipal: 50 } as const;

/**
 * Every call the services make in a member account, by service. The member role allows exactly
 * these (infra tests compare this list with the commands in the services' code).
 */
export const MEMBER_ACTIONS = {
  iamRead: [
    'iam:GetUser',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetInstanceProfile',
    'iam:ListAccessKeys',
    'iam:ListAttachedUserPolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListUserPolicies',
    'iam:ListRolePolicies',
  ],
  iamInline: ['iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  iamDenyAll: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
  iamKeysAndTags: ['iam:UpdateAccessKey', 'iam:TagUser', 'iam:UntagUser', 'iam:TagRole', 'iam:UntagRole'],
  lambda: [
    'lambda:GetFunction',
    'lambda:ListEventSourceMappings',
    'lambda:PutFunctionConcurrency',
    'lambda:DeleteFunctionConcurrency',
    'lambda:UpdateEventSourceMapping',
  ],
  ec2Read: ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeSecurityGroups'],
  ec2Instance: ['ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute'],
  ec2Tags: ['ec2:CreateTags', 'ec2:DeleteTags'],
  ec2CreateGroup: ['ec2:CreateSecurityGroup'],
  ec2GroupRules: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
  ec2Snapshot: ['ec2:CreateSnapshot'],
  autoScalingRead: ['autoscaling:DescribeAutoScalingInstances'],
  autoScaling: ['autoscaling:DetachInstances', 'autoscaling:AttachInstances'],
  loadBalancingRead: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
  loadBalancing: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
} as const;

export const ALL_MEMBER_ACTIONS: string[] = Object.values(MEMBER_ACTIONS).flat();

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { ServiceName, memberRoleNameOf } from '@lockdown/contracts';
import { LockdownConfig } from '@lockdown/services';
import { putOutcomeEvents } from './outcome-events';

export interface ServiceGrantsProps {
  readonly service: ServiceName;
  readonly config: LockdownConfig;
  readonly auditTopicArn: string;
  readonly auditKeyArn: string;
  readonly ledger: dynamodb.Table;
  /** Its own queue and the key of its queues: tamper-watch ticks and ec2-isolation's phase 2 are delayed messages to it. */
  readonly queue: sqs.Queue;
  readonly key: kms.Key;
}

/** A service's role gets exactly what the code calls: assume the member role, audit, its ledger (and its own queue). */
export function grantServiceCalls(role: iam.Role, props: ServiceGrantsProps) {
  const { service, config } = props;
  const stack = Stack.of(role);
  const memberRole = memberRoleNameOf(config.memberRoleName, service);
  // A service with a member role of its own (identity-center-lockdown) sweeps the accounts its entity
  // reached with the shared one (it reads their CloudTrail), which trusts every service's role.
  const memberRoles = [...new Set([memberRole, ...(config.sweep.enabled ? [config.memberRoleName] : [])])];
  const accounts = config.onboardedAccounts === 'all' ? ['*'] : config.onboardedAccounts;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberRole',
      actions: ['sts:AssumeRole'],
      resources: memberRoles.flatMap((name) => accounts.map((account) => `arn:${stack.partition}:iam::${account}:role/${name}`)),
    }),
  );
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Audit', actions: ['sns:Publish'], resources: [props.auditTopicArn] }));
  role.addToPolicy(putOutcomeEvents(stack));
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'AuditKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.auditKeyArn] }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'Ledger',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [props.ledger.tableArn],
    }),
  );
  // Tamper-watch ticks and ec2-isolation's phase 2 are delayed messages to its own queue.
  role.addToPolicy(new iam.PolicyStatement({ sid: 'OwnQueue', actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }));
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'OwnQueueKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.key.keyArn] }),
  );
  if (config.onboardedAccounts === 'all')
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: `onboardedAccounts is "all": the service may assume its member role(s) (${memberRoles.join(', ')}, fixed names) in any account; the shared one trusts only lockdown's service roles, a service's own member role that service's role only, and both require the ExternalId.`,
          appliesTo: memberRoles.map((name) => `Resource::arn:<AWS::Partition>:iam::*:role/${name}`),
        },
      ],
      true,
    );
}

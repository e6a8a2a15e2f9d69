import { Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ServiceName } from '@lockdown/contracts';
import { LockdownConfig, sweepContains } from '@lockdown/services';
import { ledgerTable } from '../constructs/ledger-table';
import { LockdownFunction } from '../constructs/lockdown-function';
import { ServiceAlarms } from '../constructs/service-alarms';
import { ServiceDashboard } from '../constructs/service-dashboard';
import { ServiceFunction } from '../constructs/service-function';
import { grantServiceCalls } from '../constructs/service-grants';
import { ServiceQueue } from '../constructs/service-queue';
import { grantSweepPublishing } from '../constructs/sweep-publisher';
import { PARAMETERS } from '../names';

export interface ServiceStackProps extends StackProps {
  readonly service: ServiceName;
  readonly config: LockdownConfig;
}

/**
 * One containment service, deployable on its own: its queue and DLQ (with the one alarm), its
 * subscription to the dispatch topic, its ledger table, its function and role, its dashboard.
 * It finds the core stack's topics through SSM parameters, not CloudFormation exports.
 */
export class ServiceStack extends Stack {
  readonly fn: LockdownFunction;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { service, config } = props;
    const param = (name: string) => ssm.StringParameter.valueForStringParameter(this, name);
    const dispatchTopic = sns.Topic.fromTopicArn(this, 'Dispatch', param(PARAMETERS.dispatchTopicArn));
    const auditTopic = sns.Topic.fromTopicArn(this, 'Audit', param(PARAMETERS.auditTopicArn));
    const auditKeyArn = param(PARAMETERS.auditKeyArn);
    // A sweep that contains publishes its derived requests to the ingress topic, like any publisher.
    const sweepIngress = sweepContains(config.sweep)
      ? {
          topicArn: param(PARAMETERS.ingressTopicArn),
          keyArn: param(PARAMETERS.ingressKeyArn),
          externalIdSecretArn: param(PARAMETERS.externalIdSecretArn),
        }
      : undefined;

    const requests = new ServiceQueue(this, { service, dispatchTopic, auditTopic });
    [this.queue, this.dlq, this.table] = [requests.queue, requests.dlq, ledgerTable(this, service)];
    this.fn = new ServiceFunction(this, {
      service,
      config,
      queue: this.queue,
      ledger: this.table,
      auditTopicArn: auditTopic.topicArn,
      sweepIngress,
    }).fn;
    grantServiceCalls(this.fn.role, {
      service,
      config,
      auditTopicArn: auditTopic.topicArn,
      auditKeyArn,
      ledger: this.table,
      queue: requests.queue,
      key: requests.key,
    });
    if (sweepIngress) grantSweepPublishing(this.fn.role, sweepIngress);

    new ServiceAlarms(this, { service, fn: this.fn.fn, queue: this.queue, dlq: this.dlq, auditTopic });
    new ServiceDashboard(this, 'Monitoring', { service, fn: this.fn.fn, queue: this.queue, dlq: this.dlq });
  }
}

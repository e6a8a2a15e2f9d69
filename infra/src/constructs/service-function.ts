import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS, ServiceName, memberRoleNameOf, settingsEnvironment } from '@lockdown/contracts';
import {
  LockdownConfig,
  SweepIngress,
  concurrencyOf,
  descriptorOf,
  reservedConcurrencyOf,
  scopeEnvironment,
  sweepEnvironment,
} from '@lockdown/services';
import { bundlePath, functionName, serviceRoleName } from '../names';
import { FUNCTION_TIMEOUT, MAX_RECEIVE_COUNT } from '../service-limits';
import { LockdownFunction } from './lockdown-function';

export interface ServiceFunctionProps {
  readonly service: ServiceName;
  readonly config: LockdownConfig;
  /** Its requests (the event source), also where it sends its own (tamper-watch ticks, EC2's phase 2). */
  readonly queue: sqs.Queue;
  readonly ledger: dynamodb.Table;
  readonly auditTopicArn: string;
  /**
   * Where the sweep publishes what its policy contains.
   * @default none: the sweep reports only
   */
  readonly sweepIngress?: SweepIngress;
}

/**
 * A service's function (`Service`, added to its scope) with the environment its handler reads, fed
 * by its queue in batches at the configured concurrency, with partial batch failures.
 */
export class ServiceFunction {
  readonly fn: LockdownFunction;

  constructor(scope: Construct, props: ServiceFunctionProps) {
    const { service, config } = props;
    const descriptor = descriptorOf(service);
    const { batchSize, maximumConcurrency } = concurrencyOf(config, service);
    this.fn = new LockdownFunction(scope, 'Service', {
      functionName: functionName(service),
      roleName: serviceRoleName(service),
      bundle: bundlePath(service),
      timeout: FUNCTION_TIMEOUT,
      reservedConcurrency: reservedConcurrencyOf(config, service),
      description: `lockdown ${service}: ${descriptor.summary}`,
      environment: {
        POWERTOOLS_SERVICE_NAME: service,
        AUDIT_TOPIC_ARN: props.auditTopicArn,
        LEDGER_TABLE_NAME: props.ledger.tableName,
        MEMBER_EXTERNAL_ID: config.memberExternalId,
        MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
        // A container leases at most ceil(capacity / maximumConcurrency) tokens at a time of the shared API budgets.
        MAXIMUM_CONCURRENCY: String(maximumConcurrency),
        // The intake's scope, checked again on receipt.
        ...scopeEnvironment(config, Stack.of(scope)),
        // The member role it assumes: its own where it has one (identity-center-lockdown), else the shared one.
        MEMBER_ROLE_NAME: memberRoleNameOf(config.memberRoleName, service),
        // Its own queue (tamper-watch ticks, EC2's phase 2) and the watch's schedule.
        QUEUE_URL: props.queue.queueUrl,
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
        WATCH_SCHEDULE: config.watchSchedule.join(','),
        ...settingsEnvironment(descriptor, config),
        // The persistence sweep (SWEEP_*), and where it publishes what its policy contains.
        ...sweepEnvironment(config.sweep, props.sweepIngress),
      },
    });
    this.fn.fn.addEventSource(
      new sources.SqsEventSource(props.queue, { batchSize, maxConcurrency: maximumConcurrency, reportBatchItemFailures: true }),
    );
  }
}
